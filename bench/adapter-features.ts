// What the WebGPU adapter offers for prompt matrix products, under several sets of Dawn toggles:
// one JSON line per toggle set with the adapter, its features, the limits the matmul kernels care
// about, the subgroup-matrix configurations, and which of shader-f16 / subgroups /
// chromium-experimental-subgroup-matrix a device can actually be created with (plus a tiny
// f16 kernel run, to see that f16 arithmetic gives the right numbers there).
// usage: node dist/adapter-features.js [--toggles "set1;set2"]   (a set: comma-separated toggles, "" for none)
import { spawnSync } from 'node:child_process';
import { cliArgs } from '../src/cli-args';

const USAGE = 'usage: node dist/adapter-features.js [--toggles "allow_unsafe_apis;vulkan_enable_f16_on_nvidia"]';

type Gpu = { requestAdapter(o?: GPURequestAdapterOptions): Promise<GPUAdapter | null> };

// vulkan_enable_f16_on_nvidia: Dawn hides shader-f16 on NVIDIA's Vulkan driver unless it is set.
// disable_robustness: no bounds clamping of buffer indices (matters for the kernels' speed only).
const DEFAULT_SETS = ['', 'allow_unsafe_apis', 'vulkan_enable_f16_on_nvidia', 'allow_unsafe_apis,vulkan_enable_f16_on_nvidia', 'allow_unsafe_apis,vulkan_enable_f16_on_nvidia,disable_robustness'];
const WANTED = ['shader-f16', 'subgroups', 'chromium-experimental-subgroup-matrix'] as const;
const LIMITS = ['maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxStorageBuffersPerShaderStage'] as const;

// y[i] = a[i] * b[i] + c[i], computed in f16 from f32 inputs.
const F16_KERNEL = `enable f16;
@group(0) @binding(0) var<storage, read_write> v: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.x;
  if (i < 64u) { v[192u + i] = f32(fma(f16(v[i]), f16(v[64u + i]), f16(v[128u + i]))); }
}`;

async function f16Check(device: GPUDevice): Promise<{ ok: boolean; maxRelErr: number } | { error: string }> {
  try {
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code: F16_KERNEL });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const data = new Float32Array(256);
    for (let i = 0; i < 64; i++) [data[i], data[64 + i], data[128 + i]] = [1 + i / 64, -0.5 + i / 100, 0.25 * i];
    const buf = device.createBuffer({ size: data.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(buf, 0, data);
    const read = device.createBuffer({ size: data.byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] }));
    pass.dispatchWorkgroups(1);
    pass.end();
    enc.copyBufferToBuffer(buf, 0, read, 0, data.byteLength);
    device.queue.submit([enc.finish()]);
    const err = await device.popErrorScope();
    if (err) return { error: err.message.split('\n')[0] };
    await read.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(read.getMappedRange().slice(0));
    let maxRelErr = 0;
    for (let i = 0; i < 64; i++) {
      const want = data[i] * data[64 + i] + data[128 + i];
      maxRelErr = Math.max(maxRelErr, Math.abs(out[192 + i] - want) / Math.max(1, Math.abs(want)));
    }
    return { ok: maxRelErr < 2e-3, maxRelErr: +maxRelErr.toExponential(2) };
  } catch (e) {
    return { error: String((e as Error).message ?? e).split('\n')[0] };
  }
}

async function probe(toggles: string): Promise<Record<string, unknown>> {
  const webgpu = (await import('webgpu')) as unknown as { create(flags: string[]): Gpu; globals: object };
  Object.assign(globalThis, webgpu.globals);
  const gpu = webgpu.create(toggles ? [`enable-dawn-features=${toggles}`] : []);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { toggles, adapter: null };
  const info = adapter.info as GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number; subgroupMatrixConfigs?: unknown[] };
  const limits: Record<string, number> = {};
  for (const k of LIMITS) limits[k] = adapter.limits[k];
  const configs = (info.subgroupMatrixConfigs ?? []).map((c) => {
    const m = c as { componentType: string; resultComponentType: string; M: number; N: number; K: number };
    return `${m.componentType}->${m.resultComponentType} ${m.M}x${m.N}x${m.K}`;
  });
  const request: Record<string, unknown> = {};
  for (const feature of WANTED) {
    if (!adapter.features.has(feature)) {
      request[feature] = 'not offered';
      continue;
    }
    try {
      // An adapter gives one device; a fresh one per feature.
      const fresh = (await gpu.requestAdapter({ powerPreference: 'high-performance' }))!;
      const device = await fresh.requestDevice({ requiredFeatures: [feature as GPUFeatureName] });
      request[feature] = feature === 'shader-f16' ? await f16Check(device) : 'ok';
      device.destroy();
    } catch (e) {
      request[feature] = `refused: ${String((e as Error).message ?? e).split('\n')[0]}`;
    }
  }
  // All three together, as the engine asks for them where the adapter offers them.
  if (WANTED.every((f) => adapter.features.has(f))) {
    try {
      const fresh = (await gpu.requestAdapter({ powerPreference: 'high-performance' }))!;
      (await fresh.requestDevice({ requiredFeatures: [...WANTED] as GPUFeatureName[] })).destroy();
      request['shader-f16+subgroups+subgroup-matrix'] = 'ok';
    } catch (e) {
      request['shader-f16+subgroups+subgroup-matrix'] = `refused: ${String((e as Error).message ?? e).split('\n')[0]}`;
    }
  }
  return {
    toggles,
    adapter: [info.vendor, info.architecture, info.device, info.description].filter((s) => s).join(' '),
    subgroupSizes: [info.subgroupMinSize, info.subgroupMaxSize],
    features: [...adapter.features].sort(),
    limits,
    subgroupMatrixConfigs: configs,
    request,
  };
}

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, { toggles: { type: 'string' } });
  const sets = values.toggles !== undefined ? String(values.toggles).split(';') : DEFAULT_SETS;
  if (sets.length === 1) {
    console.log(JSON.stringify(await probe(sets[0].trim())));
    return;
  }
  // One process per toggle set: Dawn's instances do not all survive side by side in one process.
  for (const s of sets) {
    const r = spawnSync(process.execPath, [process.argv[1], '--toggles', s], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 });
    process.stdout.write(r.status === 0 ? r.stdout : `${JSON.stringify({ toggles: s, error: `probe exited with ${r.status ?? r.signal}` })}\n`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`adapter-features: ${(e as Error).message ?? e}`);
    process.exit(1);
  },
);
