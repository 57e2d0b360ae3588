/// SPEC 21's `GET /`: the run so far, redrawn every second from `GET /series` (the time-series lines):
/// latency percentiles, throughput and failures, TTFT when streaming, in flight and thinking. One page,
/// no asset from any URL; readable at 1280×800. The page says how many points it drew in
/// `body[data-points]`, and the last line it read in the header, so a test can see it holds data.
enum LiveDashboard {
    static func html(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escape(title))</title>
        <style>
        body{font:14px system-ui,sans-serif;margin:16px;background:#fff;color:#1f2328}
        h1{font-size:18px;margin:0 0 8px}
        #figures{display:flex;gap:24px;margin:8px 0 12px;flex-wrap:wrap}
        #figures div{font-size:12px;color:#59636e}#figures b{display:block;font-size:20px;color:#1f2328}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:12px}
        figure{margin:0;border:1px solid #d1d9e0;border-radius:6px;padding:8px}
        figcaption{font-weight:600;margin-bottom:4px}svg{width:100%;height:220px}
        .axis{stroke:#d1d9e0}.label{font-size:11px;fill:#59636e}
        @media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}#figures b{color:#e6edf3}figure{border-color:#3d444d}}
        </style></head>
        <body data-points="0">
        <h1>\(HTMLText.escape(title))</h1>
        <div id="figures"><div>requests<b id="requests">–</b></div><div>failed<b id="failed">–</b></div>
        <div>req/s (last interval)<b id="rps">–</b></div><div>p95 ms (last)<b id="p95">–</b></div>
        <div>in flight<b id="inflight">–</b></div><div>thinking<b id="thinking">–</b></div><div>updated<b id="updated">–</b></div></div>
        <div class="grid">
        <figure><figcaption>Latency (ms) per interval</figcaption><svg id="latency" viewBox="0 0 600 220"></svg></figure>
        <figure><figcaption>Throughput (req/s) and failures per interval</figcaption><svg id="throughput" viewBox="0 0 600 220"></svg></figure>
        <figure id="ttft-figure" hidden><figcaption>Time to first token p95 (ms)</figcaption><svg id="ttft" viewBox="0 0 600 220"></svg></figure>
        <figure><figcaption>In flight and thinking</figcaption><svg id="load" viewBox="0 0 600 220"></svg></figure>
        </div>
        <script>
        \(script)
        </script></body></html>
        """
    }

    static let script = """
        const NS = "http://www.w3.org/2000/svg";
        function chart(id, lines, series) {
          const svg = document.getElementById(id); svg.replaceChildren();
          const xs = lines.map(l => l.t), all = [];
          for (const s of series) for (const l of lines) { const v = s.value(l); if (v != null) all.push(v); }
          const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1), y1 = Math.max(...all, 1) * 1.1;
          const X = t => 50 + (t - x0) / (x1 - x0) * 540, Y = v => 200 - v / y1 * 185;
          const axis = document.createElementNS(NS, "path");
          axis.setAttribute("d", "M50 10V200H590"); axis.setAttribute("class", "axis"); axis.setAttribute("fill", "none"); svg.append(axis);
          for (const [v, text] of [[0, "0"], [y1 / 1.1, (y1 / 1.1).toPrecision(3)]]) {
            const label = document.createElementNS(NS, "text"); label.setAttribute("x", 46); label.setAttribute("y", Y(v) + 4);
            label.setAttribute("text-anchor", "end"); label.setAttribute("class", "label"); label.textContent = text; svg.append(label);
          }
          const end = document.createElementNS(NS, "text"); end.setAttribute("x", 590); end.setAttribute("y", 215);
          end.setAttribute("text-anchor", "end"); end.setAttribute("class", "label"); end.textContent = x1.toFixed(0) + " s"; svg.append(end);
          let drawn = 0;
          series.forEach((s, i) => {
            const key = document.createElementNS(NS, "text"); key.setAttribute("x", 590 - 70 * (series.length - 1 - i));
            key.setAttribute("y", 12); key.setAttribute("text-anchor", "end"); key.setAttribute("class", "label");
            key.setAttribute("fill", s.color); key.style.fill = s.color; key.textContent = s.name; svg.append(key);
          });
          for (const s of series) {
            const points = lines.filter(l => s.value(l) != null).map(l => X(l.t).toFixed(1) + "," + Y(s.value(l)).toFixed(1));
            const line = document.createElementNS(NS, "polyline");
            line.setAttribute("points", points.join(" ")); line.setAttribute("fill", "none");
            line.setAttribute("stroke", s.color); line.setAttribute("stroke-width", "2"); line.setAttribute("data-series", s.name);
            svg.append(line); drawn += points.length;
          }
          return drawn;
        }
        async function refresh() {
          try {
            const lines = await (await fetch("series", {cache: "no-store"})).json();
            if (!lines.length) return;
            const last = lines[lines.length - 1];
            const sum = key => lines.reduce((a, l) => a + (l[key] || 0), 0);
            document.getElementById("requests").textContent = sum("requests");
            document.getElementById("failed").textContent = sum("failed");
            document.getElementById("rps").textContent = last.rps.toFixed(1);
            document.getElementById("p95").textContent = last.latency_ms.p95 == null ? "–" : last.latency_ms.p95.toFixed(1);
            document.getElementById("inflight").textContent = last.in_flight;
            document.getElementById("thinking").textContent = last.thinking == null ? "–" : last.thinking;
            document.getElementById("updated").textContent = last.t.toFixed(0) + " s";
            let points = chart("latency", lines, [
              {name: "p50", color: "#0969da", value: l => l.latency_ms.p50}, {name: "p95", color: "#bf8700", value: l => l.latency_ms.p95},
              {name: "p99", color: "#cf222e", value: l => l.latency_ms.p99}]);
            points += chart("throughput", lines, [
              {name: "rps", color: "#1a7f37", value: l => l.rps}, {name: "failed", color: "#cf222e", value: l => l.failed / l.interval_s}]);
            points += chart("load", lines, [
              {name: "in_flight", color: "#8250df", value: l => l.in_flight}, {name: "thinking", color: "#59636e", value: l => l.thinking}]);
            if (lines.some(l => l.ttft_ms)) {
              document.getElementById("ttft-figure").hidden = false;
              points += chart("ttft", lines, [{name: "ttft_p95", color: "#bf8700", value: l => l.ttft_ms ? l.ttft_ms.p95 : null}]);
            }
            document.body.dataset.points = points;
          } catch (error) { document.getElementById("updated").textContent = "no answer"; }
        }
        refresh(); setInterval(refresh, 1000);
        """
}
