// What a chain of dependent dispatches can reach on this GPU through WebGPU, whatever the kernel:
//  - "chain": the cost of one dispatch that depends on the previous one (Dawn puts a barrier
//    between dispatches that write the same buffer, as every decoding step's kernels do);
//  - "chain-free": the same dispatches each writing a buffer of its own (no barrier between them),
//    to tell the barrier's share from the launch's;
//  - "read": the best time to stream B bytes in one such dispatch (a pure read, every load in
//    flight), for B from 0.5 to 64 MiB and several grid sizes, workgroup sizes and loads in flight
//    per thread; copies are cycled through so the bytes come from memory, not the 50 MB L2.
// A decoded token is a chain of such dispatches, so these figures bound what any kernel can do.
// usage: node dist/dispatch-floor.js [--reps 200]
import { cliArgs } from '../src/cli-args';
import { acquireGpu } from '../src/gpu/device';
import { timePass } from './host-timer';


const chainKernel = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> acc: array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  if (li == 0u && wid.x == 0u) { acc[0] = acc[0] + 1u; }
}`;

const freeKernel = /* wgsl */ `
@group(0) @binding(0) var<storage, read> ro: array<u32>;
var<workgroup> seen: u32;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) li: u32) {
  if (li == 0u) { seen = ro[0]; }
}`;

// Each thread keeps UNROLL 16-byte loads in flight, grid-strided over the buffer.
const readKernel = (WG: number, UNROLL: number) => /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> sink: array<u32>;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let n = arrayLength(&src);
  let threads = nwg.x * ${WG}u;
  var x = vec4<u32>(0u);
  var i = gid.x;
  loop {
    if (i + ${UNROLL - 1}u * threads >= n) { break; }
    var v: array<vec4<u32>, ${UNROLL}>;
    for (var k = 0u; k < ${UNROLL}u; k++) { v[k] = src[i + k * threads]; }
    for (var k = 0u; k < ${UNROLL}u; k++) { x ^= v[k]; }
    i += ${UNROLL}u * threads;
  }
  for (; i < n; i += threads) { x ^= src[i]; }
  let r = x.x ^ x.y ^ x.z ^ x.w;
  if (r == 0x12345u) { sink[gid.x % 64u] = r; }  // (rarely true) keeps the loads
  sink[64u] = 1u;                                     // every dispatch writes: a barrier between them
}`;

const USAGE = `usage: node dist/dispatch-floor.js [--reps 200]`;

async function main(): Promise<void> {
  const { values } = cliArgs(USAGE, { reps: { type: 'int', default: 200, min: 1, max: 100_000 } });
  const reps = Number(values.reps);
  const gpu = await acquireGpu();
  const device = gpu.device;
  const base = { device: gpu.adapterName };

  const pipe = (code: string) => device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
  const chain = pipe(chainKernel);
  const acc = device.createBuffer({ size: 256, usage: GPUBufferUsage.STORAGE });
  const chainGroup = device.createBindGroup({ layout: chain.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: acc } }] });
  const empty = await timePass(device, () => {});
  for (const groups of [1, 264]) {
    const ms = await timePass(device, (pass) => {
      pass.setPipeline(chain);
      pass.setBindGroup(0, chainGroup);
      for (let r = 0; r < reps * 5; r++) pass.dispatchWorkgroups(groups);
    });
    console.log(JSON.stringify({ ...base, kind: 'chain', workgroups: groups, usPerDispatch: +(((ms - empty) * 1000) / (reps * 5)).toFixed(2) }));
  }
  {
    // Read-only bindings need no barrier between dispatches (Dawn tracks usage per buffer).
    const free = pipe(freeKernel);
    const ro = device.createBuffer({ size: 256, usage: GPUBufferUsage.STORAGE });
    const g = device.createBindGroup({ layout: free.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: ro } }] });
    const ms = await timePass(device, (pass) => {
      pass.setPipeline(free);
      pass.setBindGroup(0, g);
      for (let r = 0; r < reps * 5; r++) pass.dispatchWorkgroups(1);
    });
    console.log(JSON.stringify({ ...base, kind: 'chain-free', workgroups: 1, usPerDispatch: +(((ms - empty) * 1000) / (reps * 5)).toFixed(2) }));
  }

  const sink = device.createBuffer({ size: 65 * 4, usage: GPUBufferUsage.STORAGE });
  const reads = new Map<string, GPUComputePipeline>();
  const MiB = 1 << 20;
  const noise = new Uint32Array(16 * MiB).map((_, i) => Math.imul(i + 1, 0x9e3779b1) >>> 0);
  for (const mib of [0.5, 1, 2, 4, 8, 16, 32, 64]) {
    const bytes = mib * MiB;
    const copies = Math.max(2, Math.ceil((256 * MiB) / bytes)); // more than the L2 between two reads of one copy
    const bufs = Array.from({ length: copies }, () => device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST }));
    for (const b of bufs) device.queue.writeBuffer(b, 0, noise, 0, bytes / 4); // not zeros: no chance of compressed reads
    const n = Math.max(copies, Math.ceil(reps / copies) * copies);
    const variants: [number, number, number][] = [132, 264, 528, 1056, 2112].map((grid) => [grid, 256, 8]);
    if (mib >= 4 && mib <= 32) variants.push([264, 256, 16], [132, 1024, 4], [132, 1024, 8], [264, 512, 8]);
    for (const [grid, wg, unroll] of variants) {
      const read = reads.get(`${wg}/${unroll}`) ?? reads.set(`${wg}/${unroll}`, pipe(readKernel(wg, unroll))).get(`${wg}/${unroll}`)!;
      const groupsOf = bufs.map((buffer) => device.createBindGroup({ layout: read.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer } }, { binding: 1, resource: { buffer: sink } }] }));
      const ms = await timePass(device, (pass) => {
        pass.setPipeline(read);
        for (let r = 0; r < n; r++) {
          pass.setBindGroup(0, groupsOf[r % copies]);
          pass.dispatchWorkgroups(grid);
        }
      });
      const us = ((ms - empty) * 1000) / n;
      console.log(JSON.stringify({ ...base, kind: 'read', mib, workgroups: grid, workgroupSize: wg, loadsInFlight: unroll, usPerDispatch: +us.toFixed(2), tbPerS: +(bytes / us / 1e6).toFixed(3) }));
    }
    for (const b of bufs) b.destroy();
  }
  device.destroy();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
