const fs=require('fs');
// usage: node --experimental-wasm-relaxed-simd gemm-layouts.js T  (from the repository root; NOLM=1 leaves the LM head out)
// gemm on weights laid out row by row against gemmB on the same weights in blocks of 16 columns.
const src=fs.readFileSync('src/cpu/wasm/kernels-wasm.ts','utf8');
const b64=src.match(/KERNELS_WASM_RELAXED = '([^']+)'/)[1];
const mem=new WebAssembly.Memory({initial:32,maximum:65536,shared:true});
const inst=new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(b64,'base64')),{env:{memory:mem}});
const e=inst.exports;
const shapes=process.env.NOLM?[[320,1280],[640,52],[20,640],[640,320],[320,448],[320,320],[320,640],[320,640],[640,320]]:[[320,1280],[640,52],[20,640],[640,320],[320,448],[320,320],[320,640],[320,640],[640,320],[320,16384]];
// model: 4 mamba (first 4), 4 attn (next 2), 8 mlp (next 3), lm head
const mult=[4,4,4,4,4,4,8,8,8,1];
let top=Math.ceil(e.__heap_base.value/16)*16;
function alloc(bytes){const a=top;top+=Math.ceil(bytes/16)*16; const need=top-mem.buffer.byteLength; if(need>0) mem.grow(Math.ceil(need/65536)); return a;}
const T=+process.argv[2]||1;
const mats=[];
for(let i=0;i<shapes.length;i++) for(let m=0;m<mult[i];m++){const [K,N]=shapes[i];
  const f=alloc(K*N*4), h=alloc(K*N*2);
  const F=new Float32Array(mem.buffer,f,K*N), H=new Int16Array(mem.buffer,h,K*N);
  const tmp=new Float32Array(1), hb=new Uint16Array(1);
  for(let j=0;j<K*N;j++){ // random f16 value
    let bits=(Math.random()*0x7c00|0) & 0x7fff; if (Math.random()<0.5) bits|=0x8000; if (Math.random()<0.01) bits &= 0x83ff; // some subnormals
    // decode half
    const s=bits>>15, ex=(bits>>10)&31, mt=bits&1023; let v= ex===0? mt*2**-24 : (1+mt/1024)*2**(ex-15); if(s) v=-v;
    F[j]=v*1e-3; H[j]=bits; }
  // scale: make F the exact half values (no 1e-3)
  for(let j=0;j<K*N;j++){const bits=H[j]&0xffff;const s=bits>>15, ex=(bits>>10)&31, mt=bits&1023; let v= ex===0? mt*2**-24 : (1+mt/1024)*2**(ex-15); F[j]=s?-v:v;}
  const bl=alloc(K*N*4); const Bl=new Float32Array(mem.buffer,bl,K*N); const full=Math.floor(N/16);
  for(let k=0;k<K;k++) for(let n=0;n<N;n++){const j=Math.floor(n/16); if(j<full) Bl[j*16*K+k*16+(n-16*j)]=F[k*N+n]; else {const rest=N-full*16; Bl[full*16*K+k*rest+(n-16*full)]=F[k*N+n];}}
    mats.push({K,N,f,bl});}
const maxK=640, X=alloc(64*maxK*4), Y1=alloc(64*16384*4), Y2=alloc(64*16384*4), P=alloc(Math.max(24576,8*maxK)*4);
const xf=new Float32Array(mem.buffer,X,64*maxK); for(let j=0;j<xf.length;j++) xf[j]=Math.random()*2-1;
// check equality
let bad=0;
for(const m of mats){ e.gemm(T,m.K,m.N,X,m.K,m.f,m.N,Y1,m.N,0); e.gemmB(T,m.K,m.N,X,m.K,m.bl,Y2,m.N,0);
  const a=new Float32Array(mem.buffer,Y1,T*m.N), b=new Float32Array(mem.buffer,Y2,T*m.N); for(let j=0;j<a.length;j++) if(a[j]!==b[j] && !(isNaN(a[j])&&isNaN(b[j]))){bad++; if(bad<5) console.log('diff',m.K,m.N,j,a[j],b[j]);}}
console.log('mismatches',bad);
for(let round=0;round<3;round++){
 for(const kind of ['f32','blk']){ const reps=T===1?200:10; const t0=process.hrtime.bigint();
  for(let r=0;r<reps;r++) for(const m of mats){ if(kind==='f32') e.gemm(T,m.K,m.N,X,m.K,m.f,m.N,Y1,m.N,0); else e.gemmB(T,m.K,m.N,X,m.K,m.bl,Y2,m.N,0);}
  const ms=Number(process.hrtime.bigint()-t0)/1e6/reps; console.log(round,kind,'T',T,'ms/pass',ms.toFixed(3), 'tok/s', (T*1000/ms).toFixed(0));}}
