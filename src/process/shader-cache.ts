import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

/** Bytes of compiled shaders our kernels leave in Mesa's cache (about 210 KB for the default model on lavapipe); less means a first run. */
const WARM_BYTES = 100_000;

/**
 * True when WebGPU will run on a Mesa Vulkan driver (lavapipe without a GPU) whose on-disk shader
 * cache is still empty: compiling the kernels then takes a minute or more on a CPU (measured on the
 * 2-core machine: `npm run demo` 292 s cold, 32 s warm under load), and the user should be told why.
 */
export function shaderCacheCold(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.MESA_SHADER_CACHE_DISABLE === 'true' || env.MESA_SHADER_CACHE_DISABLE === '1') return false;
  const icds = (env.VK_ICD_FILENAMES ?? env.VK_DRIVER_FILES)?.split(':').map((f) => path.basename(f)) ?? ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'].flatMap(list);
  // Another vendor's driver (NVIDIA) has its own cache; no Vulkan at all: nothing compiles.
  if (!icds.length || icds.some((f) => /nvidia/i.test(f))) return false;
  const base = env.MESA_SHADER_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'));
  return cachedBytes(path.join(base, 'mesa_shader_cache_db')) + cachedBytes(path.join(base, 'mesa_shader_cache')) < WARM_BYTES;
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Bytes under `dir`, leaving out the index Mesa preallocates. */
function cachedBytes(dir: string): number {
  let n = 0;
  for (const name of list(dir)) {
    const p = path.join(dir, name);
    try {
      const st = statSync(p);
      n += st.isDirectory() ? cachedBytes(p) : name === 'index' ? 0 : st.size;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}
