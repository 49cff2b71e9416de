// Draws the HTML report's charts from the inlined run data. Every chart shares one x axis (seconds
// since the run start): the cursor is synced through uPlot's sync key, and a zoom in one chart is
// applied to all of them (double-click resets to the whole run).
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('report-data').textContent);
  var endS = Math.max(data.end_ms / 1000, 0.001);
  var charts = [];
  var drawn = 0;
  var zooming = false;
  var COLORS = ['#2f6fbf', '#e3a21a', '#2a9d5c', '#8e44ad', '#c0392b', '#16a0a0', '#7f6a00', '#555'];
  var QUEUE = '#e3a21a';
  var DECODE = '#2f6fbf';
  var FAILED = '#d03030';

  function reportError(where, e) {
    var d = document.getElementById('errors');
    d.textContent += where + ': ' + (e && e.message ? e.message : e) + '\n';
  }

  function seconds(ms) {
    return ms == null ? null : ms / 1000;
  }

  function fmt(v, digits, unit) {
    return v == null || !isFinite(v) ? '-' : v.toFixed(digits) + unit;
  }

  // Full run when uPlot auto-ranges to the data (initially, on double-click); the zoom otherwise.
  function xScale() {
    return {
      time: false,
      range: function (u, min, max) {
        var xs = u.data[0];
        if (min == null || max == null || xs.length === 0
            || (min === xs[0] && max === xs[xs.length - 1]) || min >= max) {
          return [0, endS];
        }
        return [min, max];
      }
    };
  }

  function syncZoom(u, key) {
    if (key !== 'x' || zooming) {
      return;
    }
    zooming = true;
    try {
      charts.forEach(function (o) {
        if (o !== u && (o.scales.x.min !== u.scales.x.min || o.scales.x.max !== u.scales.x.max)) {
          o.setScale('x', {min: u.scales.x.min, max: u.scales.x.max});
        }
      });
    } finally {
      zooming = false;
    }
  }

  function width(el) {
    return Math.max(600, Math.floor(el.clientWidth || 1200));
  }

  function xAxis() {
    return {label: 'seconds since run start', labelSize: 20, size: 36};
  }

  function yAxis(scale, label, right) {
    var a = {scale: scale, label: label, labelSize: 18, size: 60};
    if (right) {
      a.side = 1;
      a.grid = {show: false};
    }
    return a;
  }

  // An empty right axis for charts with one y axis, so every plot area has the same width and the
  // charts' time axes line up under each other.
  function rightGutter(scale) {
    return {scale: scale, side: 1, size: 60, grid: {show: false}, ticks: {show: false},
      values: function (u, splits) { return splits.map(function () { return ''; }); }};
  }

  function make(id, title, height, series, axes, scales, columns, extraHooks) {
    var el = document.getElementById(id);
    if (!el) {
      return;
    }
    try {
      var hooks = {
        setScale: [syncZoom],
        draw: [function (u) {
          if (!u._isDrawn) {
            u._isDrawn = true;
            drawn++;
            document.body.dataset.chartsDrawn = String(drawn);
            // Where the first chart begins on the page: the page opens on its charts.
            var first = document.querySelector('#timeline .uplot');
            if (first) {
              document.body.dataset.firstChartTop =
                  String(Math.round(first.getBoundingClientRect().top + window.scrollY));
            }
          }
        }]
      };
      if (extraHooks && extraHooks.draw) {
        hooks.draw.unshift(extraHooks.draw);
      }
      scales.x = xScale();
      var opts = {
        title: title,
        width: width(el),
        height: height,
        cursor: {sync: {key: 'inferscope'}, drag: {x: true, y: false}},
        scales: scales,
        series: [{label: 'time', value: function (u, v) { return fmt(v, 3, ' s'); }}]
          .concat(series),
        axes: [xAxis()].concat(axes.length === 1 ? [axes[0], rightGutter(axes[0].scale)] : axes),
        hooks: hooks
      };
      charts.push(new uPlot(opts, columns, el));
    } catch (e) {
      reportError(id, e);
    }
  }

  function line(label, color, scale, digits, unit, extra) {
    var s = {label: label, stroke: color, width: 1.5, scale: scale, spanGaps: true,
      value: function (u, v) { return fmt(v, digits, unit); }};
    for (var k in extra || {}) {
      s[k] = extra[k];
    }
    return s;
  }

  // (1) One horizontal bar per measured request, y = its rank by send time; drawn by hand on the
  // canvas since no uPlot series type draws ranges.
  function requestsChart() {
    var r = data.requests;
    if (r.unavailable) {
      return;
    }
    var n = r.id.length;
    var rows = r.id.map(function (_, i) { return i; });

    function rowAtCursor(u) {
      var top = u.cursor.top;
      if (top == null || top < 0) {
        return -1;
      }
      var i = Math.round(u.posToVal(top, 'y'));
      return i >= 0 && i < n ? i : -1;
    }

    function describe(u) {
      var i = rowAtCursor(u);
      if (i < 0) {
        return '-';
      }
      var e2e = r.end_ms[i] - r.send_ms[i];
      var text = '#' + r.id[i] + ' sent ' + fmt(r.send_ms[i] / 1000, 3, ' s');
      if (r.failure[i] != null) {
        return text + ' · failed (' + r.failure[i] + ') after ' + fmt(e2e, 1, ' ms');
      }
      var ttft = r.first_ms[i] == null ? null : r.first_ms[i] - r.send_ms[i];
      return text + ' · TTFT ' + fmt(ttft, 1, ' ms') + ' · E2E ' + fmt(e2e, 1, ' ms');
    }

    function drawBars(u) {
      var ctx = u.ctx;
      var b = u.bbox;
      var bar = Math.max(1, Math.min(12 * devicePixelRatio, (b.height / Math.max(1, n)) * 0.7));
      ctx.save();
      ctx.beginPath();
      ctx.rect(b.left, b.top, b.width, b.height);
      ctx.clip();
      for (var i = 0; i < n; i++) {
        var y = u.valToPos(i, 'y', true) - bar / 2;
        var x0 = u.valToPos(r.send_ms[i] / 1000, 'x', true);
        var x2 = u.valToPos(r.end_ms[i] / 1000, 'x', true);
        if (r.failure[i] != null || r.first_ms[i] == null) {
          ctx.fillStyle = r.failure[i] != null ? FAILED : QUEUE;
          ctx.fillRect(x0, y, Math.max(1, x2 - x0), bar);
          continue;
        }
        var x1 = u.valToPos(r.first_ms[i] / 1000, 'x', true);
        ctx.fillStyle = QUEUE;
        ctx.fillRect(x0, y, Math.max(1, x1 - x0), bar);
        ctx.fillStyle = DECODE;
        ctx.fillRect(x1, y, Math.max(1, x2 - x1), bar);
      }
      ctx.restore();
    }

    var height = Math.min(460, Math.max(220, n * 14 + 90));
    make('chart-requests', 'Requests by send time (' + n + (r.total > n ? ' of ' + r.total : '') +
        ')', height,
        [{label: 'request', scale: 'y', stroke: 'transparent', paths: function () { return null; },
          points: {show: false}, value: describe}],
        [{scale: 'y', label: 'request (by send time)', labelSize: 18, size: 60,
          values: function (u, splits) {
            return splits.map(function (v) { return Number.isInteger(v) ? String(v) : ''; });
          }}],
        {y: {range: function () { return [-0.5, n - 0.5]; }, dir: -1}},
        [r.send_ms.map(seconds), rows],
        {draw: drawBars});
  }

  // (2) Output rate per bin and requests in flight.
  function rateChart() {
    var r = data.rate;
    if (r.unavailable) {
      return;
    }
    make('chart-rate', 'Output tokens/s (text events per ' + r.bin_ms + ' ms bin) and in flight',
        260,
        [line('tokens/s', COLORS[0], 'tok', 1, ' tok/s', {fill: 'rgba(47,111,191,0.10)'}),
          line('in flight', COLORS[1], 'req', 0, '',
              {paths: uPlot.paths.stepped({align: 0})})],
        [yAxis('tok', 'tokens/s', false), yAxis('req', 'in flight', true)],
        {tok: {range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; }},
          req: {range: function (u, min, max) { return [0, Math.max(1, Math.ceil(max * 1.08))]; }}},
        [r.t_ms.map(seconds), r.tokens_per_s, r.in_flight]);
  }

  // (3) Every chunk gap at its arrival, as points.
  function itlChart() {
    var d = data.itl;
    if (d.unavailable) {
      return;
    }
    var size = d.t_ms.length > 5000 ? 2 : 4;
    make('chart-itl', 'Chunk gaps (ms) at arrival (' + d.t_ms.length +
        (d.total > d.t_ms.length ? ' of ' + d.total : '') + ')', 260,
        [line('gap', COLORS[0], 'ms', 2, ' ms', {paths: function () { return null; },
          points: {show: true, size: size, fill: COLORS[0], stroke: COLORS[0], width: 0}})],
        [yAxis('ms', 'gap (ms)', false)],
        {ms: {range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; }}},
        [d.t_ms.map(seconds), d.gap_ms]);
  }

  // (4) The engine's tree: CPU per interval (stepped back to the interval's start), RSS per sample.
  function processChart() {
    var p = data.process;
    if (p.unavailable) {
      return;
    }
    make('chart-process', 'Process tree CPU (% of one core) and RSS (MiB)', 260,
        [line('CPU', COLORS[2], 'cpu', 1, ' %', {paths: uPlot.paths.stepped({align: -1})}),
          line('RSS', COLORS[3], 'mib', 1, ' MiB')],
        [yAxis('cpu', 'CPU %', false), yAxis('mib', 'RSS (MiB)', true)],
        {cpu: {range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 100]; }},
          mib: {range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; }}},
        [p.t_ms.map(seconds), p.cpu_percent, p.rss_mib]);
  }

  // (5) One chart per GPU figure, one series per device.
  function gpuCharts() {
    var g = data.gpu;
    if (g.unavailable) {
      return;
    }
    var xs = g.t_ms.map(seconds);

    function name(d) {
      var n = d.name == null ? '' : ' ' + d.name.replace(/^NVIDIA /, '');
      return 'GPU ' + d.index + n;
    }

    function chart(id, title, key, label, digits, unit, fixedMax) {
      var series = g.devices.map(function (d, i) {
        return line(name(d), COLORS[i % COLORS.length], 'v', digits, unit);
      });
      make(id, title, 220, series, [yAxis('v', label, false)],
          {v: {range: function (u, min, max) {
            return [0, fixedMax != null ? fixedMax : (max > 0 ? max * 1.08 : 1)];
          }}},
          [xs].concat(g[key]));
    }

    chart('chart-gpu-sm', 'GPU SM utilisation (%)', 'sm_percent', 'SM %', 0, ' %', 100);
    chart('chart-gpu-vram', 'GPU memory in use (GiB)', 'vram_gib', 'VRAM (GiB)', 2, ' GiB', null);
    chart('chart-gpu-power', 'GPU power (W)', 'power_w', 'power (W)', 0, ' W', null);
  }

  // (6) The engine's own view: requests running and waiting, KV cache (%), at each /metrics read.
  function engineChart() {
    var e = data.engine;
    if (e.unavailable) {
      return;
    }
    make('chart-engine', 'Engine (' + e.engine + ' names): requests running and waiting, KV cache',
        220,
        [line('running', COLORS[0], 'n', 0, '', {paths: uPlot.paths.stepped({align: 1})}),
          line('waiting', COLORS[1], 'n', 0, '', {paths: uPlot.paths.stepped({align: 1})}),
          line('KV cache', COLORS[2], 'pct', 1, ' %')],
        [yAxis('n', 'requests', false), yAxis('pct', 'KV cache %', true)],
        {n: {range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; }},
          pct: {range: function () { return [0, 100]; }}},
        [e.t_ms.map(seconds), e.running, e.waiting, e.kv_percent]);
  }

  [requestsChart, rateChart, itlChart, processChart, gpuCharts, engineChart].forEach(function (f) {
    try {
      f();
    } catch (e) {
      reportError(f.name, e);
    }
  });
})();
