# Pools the per-target lines of `samba eval --details` (runs cut by a time limit) into the
# model card's table: per repository and overall, settings a/b/c, paired bootstrap intervals.
import json, glob, random, sys, os
HERE = os.path.dirname(os.path.abspath(__file__))
def load(m):
    d = {}
    for f in sorted(glob.glob(os.path.join(HERE, f'eval-{m}-*.jsonl'))):
        for l in open(f):
            r = json.loads(l); d[(r['repo'], r['path'], r['line'])] = r
    return d
def boot(diffs, n=2000):
    random.seed(0); k = len(diffs); ms = []
    for _ in range(n):
        ms.append(sum(diffs[random.randrange(k)] for _ in range(k)) / k)
    ms.sort(); return ms[int(.025 * n)], ms[int(.975 * n)]
d = load(sys.argv[1] if len(sys.argv) > 1 else 'v3')
keys = list(d)
def row(ks):
    return ' | '.join(f"{s}: EM {100*sum(d[k][s]['exact'] for k in ks)/len(ks):.1f} ES {sum(d[k][s]['editSim'] for k in ks)/len(ks):.3f} idEM {100*sum(d[k][s]['idExact'] for k in ks)/len(ks):.1f}" for s in 'abc')
print('all', len(keys), row(keys))
for r in sorted(set(k[0] for k in d)):
    ks = [k for k in d if k[0] == r]; print(r.ljust(40), len(ks), row(ks))
for metric in ('exact', 'editSim', 'idExact'):
    for a, b in [('b', 'a'), ('c', 'a'), ('c', 'b')]:
        diffs = [float(d[k][a][metric]) - float(d[k][b][metric]) for k in keys]; lo, hi = boot(diffs)
        print(f'{metric} {a}-{b} {100*sum(diffs)/len(diffs):+.1f} [{100*lo:+.1f}, {100*hi:+.1f}] points')
xf = [k for k in d if d[k]['crossFile']]
print('cross-file', len(xf), row(xf))
for a, b in [('c', 'a')]:
    for metric in ('exact', 'idExact'):
        diffs = [float(d[k][a][metric]) - float(d[k][b][metric]) for k in xf]; lo, hi = boot(diffs)
        print(f'cross-file {metric} {a}-{b} {100*sum(diffs)/len(diffs):+.1f} [{100*lo:+.1f}, {100*hi:+.1f}]')
empty = {s: sum(1 for k in keys if d[k][s]['predicted'].strip() == '') for s in 'abc'}
print('empty predictions', empty, 'block snippets mean', sum(d[k]['c']['blockSnippets'] for k in keys) / len(keys))
