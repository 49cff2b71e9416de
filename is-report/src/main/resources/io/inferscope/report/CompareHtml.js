// Draws the comparison page's distributions as SVG from the inlined data: per figure, one
// percentile curve per run (x the value, y the percent of values at or below it) overlaid, with
// p50, p90 and p99 marked. Every curve and mark is an element of the page, so it can be found and
// hovered. The script only places what the data gives; every value and text is written by the
// report. uPlot is not used: its series share one x axis, and each run's curve has its own values.
(function () {
  'use strict';

  var NS = 'http://www.w3.org/2000/svg';
  var data = JSON.parse(document.getElementById('compare-data').textContent);
  var grid = data.grid;
  var drawn = 0;

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

  // x: the figure, on a log scale when it spans a decade; y: 0 to 100 percent.
  function chart(c) {
    var host = document.getElementById(c.id);
    if (!host) {
      return;
    }
    var all = [];
    c.series.forEach(function (s) {
      all.push(s.values[0], s.values[s.values.length - 1]);
    });
    var xMin = Math.min.apply(null, all);
    var xMax = Math.max.apply(null, all);
    var log = xMin > 0 && xMax / xMin >= 10;
    var lo;
    var hi;
    if (log) {
      lo = Math.pow(10, Math.floor(Math.log10(xMin)));
      hi = Math.pow(10, Math.ceil(Math.log10(xMax)));
    } else {
      var pad = xMax > xMin ? (xMax - xMin) * 0.05 : Math.max(Math.abs(xMax) * 0.05, 1);
      lo = Math.max(0, xMin - pad);
      hi = xMax + pad;
    }
    var W = Math.max(420, Math.floor(host.clientWidth || 420));
    var H = 300;
    var m = {left: 48, right: 16, top: 12, bottom: 40};
    function X(v) {
      var t = log ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
        : (v - lo) / (hi - lo);
      return m.left + t * (W - m.left - m.right);
    }
    function Y(p) {
      return H - m.bottom - p / 100 * (H - m.top - m.bottom);
    }
    var s = el(null, 'svg', {width: W, height: H, viewBox: '0 0 ' + W + ' ' + H,
      'class': 'compare-chart', role: 'img', 'aria-label': c.label + ', percentile curve per run'});
    var g = el(s, 'g', {'class': 'grid'});
    var xTicks = [];
    if (log) {
      for (var d = lo; d <= hi * 1.0001; d *= 10) {
        [1, 2, 5].forEach(function (f) {
          if (d * f <= hi * 1.0001) {
            xTicks.push(d * f);
          }
        });
      }
    } else {
      var xs = step(hi - lo, 6);
      for (var x = Math.ceil(lo / xs) * xs; x <= hi; x += xs) {
        xTicks.push(x);
      }
    }
    xTicks.forEach(function (v) {
      el(g, 'line', {x1: X(v), x2: X(v), y1: m.top, y2: H - m.bottom});
      el(g, 'text', {x: X(v), y: H - m.bottom + 16, 'class': 'tick x'}, tick(v));
    });
    [0, 25, 50, 75, 90, 99, 100].forEach(function (p) {
      el(g, 'line', {x1: m.left, x2: W - m.right, y1: Y(p), y2: Y(p)});
      el(g, 'text', {x: m.left - 6, y: Y(p) + 4, 'class': 'tick y'}, p === 99 ? '' : String(p));
    });
    el(s, 'text', {x: (m.left + W - m.right) / 2, y: H - 6, 'class': 'axis-label'},
      c.label + (log ? ', log scale' : ''));
    el(s, 'text', {x: 12, y: (m.top + H - m.bottom) / 2, 'class': 'axis-label',
      transform: 'rotate(-90 12 ' + (m.top + H - m.bottom) / 2 + ')'}, '% at or below');
    c.series.forEach(function (series) {
      var cls = 'run-' + (series.run % 6);
      var line = el(s, 'polyline', {'class': 'cdf ' + cls, 'data-run': series.run,
        points: series.values.map(function (v, i) {
          return X(v).toFixed(1) + ',' + Y(grid[i]).toFixed(1);
        }).join(' ')});
      el(line, 'title', {}, series.title);
      series.marks.forEach(function (mk) {
        var dot = el(s, 'circle', {'class': 'mark ' + cls, 'data-run': series.run,
          cx: X(series.values[mk.index]), cy: Y(grid[mk.index]), r: 3.5});
        el(dot, 'title', {}, mk.title);
      });
    });
    host.appendChild(s);
    drawn++;
    document.body.dataset.chartsDrawn = String(drawn);
  }

  data.charts.forEach(function (c) {
    try {
      chart(c);
    } catch (e) {
      reportError(c.id, e);
    }
  });
  // Anything the page fetched would be listed here: a self-contained page fetches nothing.
  document.body.dataset.resources = String(performance.getEntriesByType('resource').length);
})();
