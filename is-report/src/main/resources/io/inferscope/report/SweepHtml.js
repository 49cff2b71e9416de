// Draws the sweep page's two charts as SVG from the inlined sweep data: the throughput-latency
// curve (a point per level joined in the order run, the knee ringed) and each level's outcomes as a
// stacked bar. Every point, bar and knee marker is an element of the page, so it can be found and
// hovered. The script only places what the data gives; every figure and text is written by the
// report. uPlot is not used here: its x values must rise, and a curve past the knee can turn back.
(function () {
  'use strict';

  var NS = 'http://www.w3.org/2000/svg';
  var data = JSON.parse(document.getElementById('sweep-data').textContent);
  var levels = data.levels;
  var knee = data.knee_index;
  var drawn = 0;
  var OUTCOMES = ['ok', 'shed', 'timeouts', 'errors', 'cancelled'];

  function reportError(where, e) {
    var d = document.getElementById('errors');
    d.textContent += where + ': ' + (e && e.message ? e.message : e) + '\n';
  }

  function el(parent, name, attrs, text) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) {
      if (attrs[k] != null) {
        e.setAttribute(k, String(attrs[k]));
      }
    }
    if (text != null) {
      e.textContent = text;
    }
    if (parent) {
      parent.appendChild(e);
    }
    return e;
  }

  function tip(node, text) {
    el(node, 'title', {}, text);
  }

  function svg(host, width, height, label) {
    return el(host, 'svg', {width: width, height: height, viewBox: '0 0 ' + width + ' ' + height,
      'class': 'sweep-chart', role: 'img', 'aria-label': label});
  }

  function done() {
    drawn++;
    document.body.dataset.chartsDrawn = String(drawn);
  }

  // 1, 2 or 5 times a power of ten, near span / count.
  function step(span, count) {
    var raw = span / count;
    var mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var n = raw / mag;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
  }

  function tick(v) {
    var a = Math.abs(v);
    if (a >= 10000) {
      return Math.round(v / 1000) + 'k';
    }
    if (a >= 1) {
      return String(Math.round(v * 100) / 100);
    }
    return String(Number(v.toPrecision(2)));
  }

  function width(host, least) {
    return Math.max(least, Math.floor(host.clientWidth || least));
  }

  // x: output tokens per second from 0; y: TTFT in ms, on a log scale when it spans a decade.
  function curveChart() {
    var host = document.getElementById('chart-curve');
    if (!host) {
      return;
    }
    var points = [];
    var ys = [];
    levels.forEach(function (l, i) {
      if (l.on_curve) {
        points.push({i: i, l: l});
        ys.push(l.ttft_p50_ms, l.ttft_p99_ms);
      }
    });
    var W = width(host, 480);
    var H = 400;
    var m = {left: 64, right: 24, top: 36, bottom: 48};
    var xMax = Math.max.apply(null, points.map(function (p) { return p.l.tokens_per_s; })) * 1.12;
    var yMin = Math.min.apply(null, ys);
    var yMax = Math.max.apply(null, ys);
    var log = yMin > 0 && yMax / yMin >= 10;
    var lo;
    var hi;
    if (log) {
      lo = Math.pow(10, Math.floor(Math.log10(yMin)));
      hi = Math.pow(10, Math.ceil(Math.log10(yMax)));
    } else {
      lo = 0;
      hi = yMax > 0 ? yMax * 1.15 : 1;
    }
    function X(v) {
      return m.left + v / xMax * (W - m.left - m.right);
    }
    function Y(v) {
      var t = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
        : (v - lo) / (hi - lo);
      return H - m.bottom - t * (H - m.top - m.bottom);
    }
    var s = svg(null, W, H, 'output tokens per second against TTFT, one point per level');
    var grid = el(s, 'g', {'class': 'grid'});
    var xs = step(xMax, 6);
    for (var x = 0; x <= xMax; x += xs) {
      el(grid, 'line', {x1: X(x), x2: X(x), y1: m.top, y2: H - m.bottom});
      el(grid, 'text', {x: X(x), y: H - m.bottom + 16, 'class': 'tick x'}, tick(x));
    }
    var yTicks = [];
    if (log) {
      for (var d = lo; d <= hi * 1.0001; d *= 10) {
        [1, 2, 5].forEach(function (f) {
          if (d * f <= hi * 1.0001) {
            yTicks.push(d * f);
          }
        });
      }
    } else {
      for (var y = 0, ysStep = step(hi, 5); y <= hi; y += ysStep) {
        yTicks.push(y);
      }
    }
    yTicks.forEach(function (v) {
      el(grid, 'line', {x1: m.left, x2: W - m.right, y1: Y(v), y2: Y(v)});
      el(grid, 'text', {x: m.left - 6, y: Y(v) + 4, 'class': 'tick y'}, tick(v));
    });
    el(s, 'text', {x: (m.left + W - m.right) / 2, y: H - 8, 'class': 'axis-label'},
      'output tokens per second');
    el(s, 'text', {x: 14, y: (m.top + H - m.bottom) / 2, 'class': 'axis-label',
      transform: 'rotate(-90 14 ' + (m.top + H - m.bottom) / 2 + ')'},
      'TTFT (ms' + (log ? ', log scale)' : ')'));
    ['p99', 'p50'].forEach(function (q) {
      el(s, 'polyline', {'class': 'curve ' + q, points: points.map(function (p) {
        return X(p.l.tokens_per_s) + ',' + Y(p.l['ttft_' + q + '_ms']);
      }).join(' ')});
    });
    points.forEach(function (p) {
      var cx = X(p.l.tokens_per_s);
      var c99 = el(s, 'circle', {'class': 'point p99', cx: cx, cy: Y(p.l.ttft_p99_ms), r: 3.5,
        'data-index': p.i});
      tip(c99, p.l.title);
      var c50 = el(s, 'circle', {'class': 'point p50', cx: cx, cy: Y(p.l.ttft_p50_ms), r: 4.5,
        'data-index': p.i});
      tip(c50, p.l.title);
      el(s, 'text', {'class': 'level-label', x: cx + 7, y: Y(p.l.ttft_p50_ms) + 15,
        'data-index': p.i}, p.l.label);
      if (p.i === knee) {
        var ring = el(s, 'circle', {'class': 'knee-marker', cx: cx, cy: Y(p.l.ttft_p50_ms), r: 10,
          'data-index': p.i});
        tip(ring, 'the knee: ' + p.l.title);
        el(s, 'text', {'class': 'knee-label', x: cx, y: Y(p.l.ttft_p50_ms) - 15}, 'knee');
      }
    });
    var key = el(s, 'g', {'class': 'legend', transform: 'translate(' + m.left + ',14)'});
    el(key, 'line', {'class': 'curve p50', x1: 0, x2: 22, y1: 0, y2: 0});
    el(key, 'text', {x: 28, y: 4}, 'TTFT p50');
    el(key, 'line', {'class': 'curve p99', x1: 100, x2: 122, y1: 0, y2: 0});
    el(key, 'text', {x: 128, y: 4}, 'TTFT p99');
    if (knee != null) {
      el(key, 'circle', {'class': 'knee-marker', cx: 211, cy: 0, r: 6});
      el(key, 'text', {x: 222, y: 4}, 'knee');
    }
    host.appendChild(s);
    done();
  }

  // A bar per level: its measured requests split by outcome, ok at the bottom.
  function completenessChart() {
    var host = document.getElementById('chart-completeness');
    if (!host) {
      return;
    }
    var W = width(host, 300);
    var H = 400;
    var m = {left: 44, right: 10, top: 36, bottom: 48};
    var band = (W - m.left - m.right) / levels.length;
    var barW = Math.min(44, band * 0.7);
    function Y(share) {
      return H - m.bottom - share * (H - m.top - m.bottom);
    }
    var s = svg(null, W, H, 'share of measured requests by outcome, one bar per level');
    var grid = el(s, 'g', {'class': 'grid'});
    [0, 25, 50, 75, 100].forEach(function (p) {
      el(grid, 'line', {x1: m.left, x2: W - m.right, y1: Y(p / 100), y2: Y(p / 100)});
      el(grid, 'text', {x: m.left - 6, y: Y(p / 100) + 4, 'class': 'tick y'}, p + ' %');
    });
    levels.forEach(function (l, i) {
      var x = m.left + band * i + (band - barW) / 2;
      var bar = el(s, 'g', {'class': 'bar' + (l.partial ? ' partial' : ''), 'data-index': i});
      tip(bar, l.title);
      var below = 0;
      if (l.requests > 0) {
        OUTCOMES.forEach(function (k) {
          if (l[k] > 0) {
            var share = l[k] / l.requests;
            el(bar, 'rect', {'class': 'seg ' + k, x: x, width: barW, y: Y(below + share),
              height: Y(below) - Y(below + share)});
            below += share;
          }
        });
      }
      el(s, 'text', {'class': 'bar-value', x: x + barW / 2, y: Y(1) - 6}, l.completeness);
      el(s, 'text', {'class': 'level-label x', x: x + barW / 2, y: H - m.bottom + 16},
        l.label + (l.partial ? ' !' : ''));
      if (i === knee) {
        // Wide enough to hold the value above the bar.
        var frame = Math.min(band - 2, barW + 20);
        var mark = el(s, 'rect', {'class': 'knee-marker', x: x + (barW - frame) / 2, width: frame,
          y: Y(1) - 22, height: Y(0) - Y(1) + 26, 'data-index': i});
        tip(mark, 'the knee: ' + l.title);
        el(s, 'text', {'class': 'knee-label', x: x + barW / 2, y: Y(1) - 26}, 'knee');
      }
    });
    el(s, 'text', {x: (m.left + W - m.right) / 2, y: H - 8, 'class': 'axis-label'},
      data.axis + (levels.some(function (l) { return l.partial; }) ? ' (! cut short)' : ''));
    host.appendChild(s);
    done();
  }

  [curveChart, completenessChart].forEach(function (f) {
    try {
      f();
    } catch (e) {
      reportError(f.name, e);
    }
  });
  // Anything the page fetched would be listed here: a self-contained page fetches nothing.
  document.body.dataset.resources = String(performance.getEntriesByType('resource').length);
})();
