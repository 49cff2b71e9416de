import json, sys, bisect
nv = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
ts = [r[0] for r in nv]
def counter_at(t):
    i = bisect.bisect_left(ts, t)
    if i <= 0 or i >= len(ts):
        return None
    (t0, e0, _), (t1, e1, _) = nv[i - 1], nv[i]
    return e0 + (e1 - e0) * (t - t0) / (t1 - t0)
for path in sys.argv[2:]:
    d = json.load(open(path))
    origin = d['run']['clock']['origin_nano_time']
    w = d['metrics']['window']
    a, b = origin + w['start_ns'], origin + w['end_ns']
    hw = d['metrics']['hardware']
    dev = hw['gpu']['devices'][0]
    ea, eb = counter_at(a), counter_at(b)
    ref = None if ea is None or eb is None else (eb - ea) / 1000.0
    # the counter-only figure before: the counter's readings clipped to the window
    pts = [(t['devices'][0]['at_ns'], t['devices'][0]['energy_mj']) for t in d['hardware']['gpu']['samples']
           if t['devices'] and t['devices'][0]['energy_mj'] is not None]
    inside = [p for p in pts if w['start_ns'] <= p[0] <= w['end_ns']]
    before = [p for p in pts if p[0] <= w['start_ns']]
    after = [p for p in pts if p[0] >= w['end_ns']]
    lo = before[-1] if before else (inside[0] if inside else None)
    hi = after[0] if after else (inside[-1] if inside else None)
    def interp(p, q, t):
        return p[1] if q[0] == p[0] else p[1] + (q[1] - p[1]) * (t - p[0]) / (q[0] - p[0])
    if before and (inside or after):
        nxt = (inside + after)[0]
        sa = max(w['start_ns'], lo[0]); va = interp(lo, nxt, sa)
    else:
        sa = lo[0]; va = lo[1]
    if after and (inside or before):
        prv = (before + inside)[-1]
        sb = min(w['end_ns'], hi[0]); vb = interp(prv, hi, sb)
    else:
        sb = hi[0]; vb = hi[1]
    old = (vb - va) / 1000.0
    tokens = hw['output_tokens']
    print(f"{path}: window {(w['end_ns'] - w['start_ns']) / 1e9:.3f} s, {tokens} tokens")
    print(f"  inferscope  {dev['energy_joules']:.1f} J ({dev['energy_source']}, readings over {dev['energy_span_ns'] / 1e9:.3f} s,"
          f" held {0 if dev['energy_extrapolated_ns'] is None else dev['energy_extrapolated_ns'] / 1e9:.3f} s)"
          f"  {hw['gpu']['tokens_per_joule']:.4f} tok/J")
    if ref:
        print(f"  pynvml      {ref:.1f} J over the window (counter every 20 ms)  {tokens / ref:.4f} tok/J"
              f"  -> inferscope {100 * (dev['energy_joules'] - ref) / ref:+.2f} %")
        print(f"  counter only (before): {old:.1f} J over {(sb - sa) / 1e9:.3f} s  {tokens / old:.4f} tok/J"
              f"  -> {100 * (old - ref) / ref:+.2f} % energy, {100 * (tokens / old - tokens / ref) / (tokens / ref):+.2f} % tok/J")
    c = d['metrics']['correlation']
    reqs = d['metrics']['per_request']
    pf = sorted(r['ttft_ns'] for r in reqs if r['ttft_ns'] is not None)
    print(f"  prefill windows p50 {pf[len(pf) // 2] / 1e6:.1f} ms; correlation prefill SM {c['prefill']['gpu_sm_percent']}"
          f" power {c['prefill']['power_watts']}; decode SM {c['decode']['gpu_sm_percent']} power {c['decode']['power_watts']};"
          f" whole run SM {c['whole_run']['gpu_sm_percent']} power {c['whole_run']['power_watts']}")
    # Energy by phase: inferscope's time-share split against the same split made from pynvml's
    # counter (20 ms pieces, each shared among the requests in flight, prefill = send to first
    # text event, decode = first text event to end).
    at = d['metrics'].get('attribution')
    if at and at['by_time'] and ref:
        spans = []
        for t in d['requests']:
            if t['warmup']:
                continue
            ev = t['events']
            text = [i for i, k in enumerate(ev['kind']) if k in ('content', 'reasoning')]
            first = ev['at_ns'][text[0]] if text else t['end_ns']
            spans.append((origin + t['send_ns'], origin + first, origin + t['end_ns']))
        pre = dec = idle = 0.0
        for (t0, e0, _), (t1, e1, _) in zip(nv, nv[1:]):
            lo, hi = max(t0, a), min(t1, b)
            if hi <= lo:
                continue
            e = (e1 - e0) / 1000.0 * (hi - lo) / (t1 - t0)
            steps = 20
            for k in range(steps):
                m = lo + (hi - lo) * (k + 0.5) / steps
                p = sum(1 for s, f, end in spans if s <= m < f)
                q = sum(1 for s, f, end in spans if f <= m < end)
                if p + q == 0:
                    idle += e / steps
                else:
                    pre += e / steps * p / (p + q)
                    dec += e / steps * q / (p + q)
        bt, bk = at['by_time'], at['by_tokens']
        print(f"  by time share: inferscope prefill {bt['prefill_joules']:.1f} J decode {bt['decode_joules']:.1f} J"
              f" idle {bt['idle_joules']:.1f} J; from pynvml's counter prefill {pre:.1f} J decode {dec:.1f} J idle {idle:.1f} J")
        if bk:
            print(f"  by token share: prefill {bk['prefill_joules']:.1f} J ({bk['joules_per_prompt_token']} J/prompt tok)"
                  f" decode {bk['decode_joules']:.1f} J ({bk['joules_per_decode_token']} J/output tok)")
