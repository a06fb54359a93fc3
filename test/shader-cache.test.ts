import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { shaderCacheCold } from '../src/process/shader-cache';
import { tempDir } from './helpers/workspace';

describe('first run: Mesa shader cache', () => {
  it('is cold while Mesa\'s cache holds no compiled shaders (its preallocated index does not count), warm after, never for NVIDIA', () => {
    const dir = tempDir('mesa-cache');
    const env: NodeJS.ProcessEnv = { ...process.env, MESA_SHADER_CACHE_DIR: dir, VK_ICD_FILENAMES: '/usr/share/vulkan/icd.d/lvp_icd.json' };
    delete env.MESA_SHADER_CACHE_DISABLE;
    assert.equal(shaderCacheCold(env), true);
    mkdirSync(path.join(dir, 'mesa_shader_cache_db', 'part0'), { recursive: true });
    writeFileSync(path.join(dir, 'mesa_shader_cache_db', 'index'), Buffer.alloc(1_310_728));
    assert.equal(shaderCacheCold(env), true);
    writeFileSync(path.join(dir, 'mesa_shader_cache_db', 'part0', 'mesa_cache.db'), Buffer.alloc(200_000));
    assert.equal(shaderCacheCold(env), false);
    assert.equal(shaderCacheCold({ ...env, MESA_SHADER_CACHE_DIR: tempDir('mesa-empty'), VK_ICD_FILENAMES: '/usr/share/vulkan/icd.d/nvidia_icd.json' }), false);
  });
});
