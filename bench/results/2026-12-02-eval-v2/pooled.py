import json,glob,random,sys
def load(m):
    d={}
    for f in sorted(glob.glob(f'eval-{m}-*.jsonl')):
        for l in open(f):
            r=json.loads(l); d[(r['repo'],r['path'],r['line'])]=r
    return d
v1,v2=load('v1'),load('v2')
common=sorted(set(v1)&set(v2))
def boot(diffs,n=2000):
    random.seed(0); k=len(diffs); ms=[]
    for _ in range(n):
        s=sum(diffs[random.randrange(k)] for _ in range(k))/k; ms.append(s)
    ms.sort(); return ms[int(.025*n)],ms[int(.975*n)]
print('paired targets (both models done):',len(common))
for name,d,keys in [('v1',v1,list(v1)),('v2',v2,list(v2)),('v1@common',v1,common),('v2@common',v2,common)]:
    row=[]
    for s in 'abc':
        em=sum(d[k][s]['exact'] for k in keys)/len(keys); es=sum(d[k][s]['editSim'] for k in keys)/len(keys); ide=sum(d[k][s]['idExact'] for k in keys)/len(keys)
        row.append(f'{s}: EM {100*em:.1f} ES {es:.3f} idEM {100*ide:.1f}')
    print(f'{name:10s} n={len(keys):4d}', ' | '.join(row))
for s in 'abc':
    diffs=[v2[k][s]['exact']-v1[k][s]['exact'] for k in common]
    lo,hi=boot(diffs); print(f'v2-v1 EM setting {s}: {100*sum(diffs)/len(diffs):+.1f} [{100*lo:+.1f}, {100*hi:+.1f}]')
for m,d in [('v1',v1),('v2',v2)]:
    keys=list(d)
    for a,b in [('b','a'),('c','a'),('c','b')]:
        diffs=[d[k][a]['exact']-d[k][b]['exact'] for k in keys]; lo,hi=boot(diffs)
        print(f'{m} {a}-{b} EM {100*sum(diffs)/len(diffs):+.1f} [{100*lo:+.1f},{100*hi:+.1f}]')
# per repo v2
for m,d in [('v1',v1),('v2',v2)]:
    repos=sorted(set(k[0] for k in d))
    for r in repos:
        keys=[k for k in d if k[0]==r]
        print(m, r.ljust(40), len(keys), ' '.join(f"{s}:{100*sum(d[k][s]['exact'] for k in keys)/len(keys):5.1f}/{sum(d[k][s]['editSim'] for k in keys)/len(keys):.2f}" for s in 'abc'))
# cross-file subset
for m,d in [('v1',v1),('v2',v2)]:
    keys=[k for k in d if d[k]['crossFile']]
    print(m,'cross-file n=',len(keys),' '.join(f"{s}: EM {100*sum(d[k][s]['exact'] for k in keys)/max(1,len(keys)):.1f} idEM {100*sum(d[k][s]['idExact'] for k in keys)/max(1,len(keys)):.1f}" for s in 'abc'))
