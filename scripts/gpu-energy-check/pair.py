# inferscope's NVML samples of a run against pynvml's read beside it on the same monotonic clock:
# each inferscope sample paired with pynvml's nearest (within 50 ms), mean of each and the largest
# difference; and whose PID each device's VRAM was attributed to.
# Usage: pair.py NVML_FIGURES RUN.json... ENGINE_PID
import json, sys, bisect
rows = []
for l in open(sys.argv[1]):
    t, sm, mem, used, power, procs = l.split()
    rows.append((int(t), int(sm), int(mem), int(used), int(power) / 1000.0,
                 {} if procs == '-' else {int(a): int(b) for a, b in (x.split(':') for x in procs.split(','))}))
ts = [r[0] for r in rows]
engine_pid = int(sys.argv[-1])
for path in sys.argv[2:-1]:
    d = json.load(open(path))
    origin = d['run']['clock']['origin_nano_time']
    pairs = []
    for tick in d['hardware']['gpu']['samples']:
        for s in tick['devices']:
            at = origin + s['at_ns']
            i = bisect.bisect_left(ts, at)
            best = min((j for j in (i - 1, i) if 0 <= j < len(rows)), key=lambda j: abs(ts[j] - at), default=None)
            if best is not None and abs(ts[best] - at) <= 50_000_000:
                pairs.append((s, rows[best], ts[best] - at))
    print(f"{path}: {len(pairs)} pairs within 50 ms (mean offset {sum(p[2] for p in pairs) / max(1, len(pairs)) / 1e6:+.1f} ms)")
    for name, mine, theirs in (('SM utilisation %', 'sm_util_percent', 1), ('memory utilisation %', 'memory_util_percent', 2),
                               ('VRAM used MiB', 'memory_used_bytes', 3), ('power W', 'power_watts', 4)):
        xs = [(p[0][mine], p[1][theirs]) for p in pairs if p[0][mine] is not None]
        if not xs:
            continue
        scale = 1 / 1048576 if mine == 'memory_used_bytes' else 1
        a = sum(x[0] for x in xs) / len(xs) * scale
        b = sum(x[1] for x in xs) / len(xs) * scale
        big = max(abs(x[0] - x[1]) for x in xs) * scale
        print(f"  {name:22s} inferscope {a:10.2f}  pynvml {b:10.2f}  largest difference {big:.2f}")
    seen = {}
    for s, r, _ in pairs:
        for q in s['processes']:
            seen.setdefault(q['pid'], set()).add(q.get('used_memory_bytes'))
    theirs = {}
    for _, r, _ in pairs:
        for pid, b in r[5].items():
            theirs.setdefault(pid, set()).add(b)
    print(f"  per-process VRAM: inferscope {[(pid, sorted(v)[-1]) for pid, v in seen.items()]}"
          f" pynvml {[(pid, sorted(v)[-1]) for pid, v in theirs.items()]}; engine PID {engine_pid}")
    devs = d['metrics']['hardware']['gpu']['devices']
    for dev in devs:
        print(f"  report: GPU {dev['index']} processes {[(p['pid'], p['max_memory_used_bytes']) for p in dev['processes']]}"
              f" engine pids {d['metrics']['hardware']['engine_pids']}")
