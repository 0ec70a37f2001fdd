// Jiceng front-end glue: no inline scripts or style attributes (the Content-Security-Policy
// forbids them). Charts read their data from <script type="application/json"> (json_script).
(function () {
  "use strict";

  var PALETTE = ["#b42318", "#1d4ed8", "#15803d", "#b45309", "#6d28d9", "#0e7490"];
  var FONT = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

  function renderCharts(root) {
    if (typeof window.echarts === "undefined") return;
    // data-chart names a <script type="application/json"> (json_script); data-chart-spec carries the
    // JSON itself, for HTMX-swapped fragments (htmx drops script elements it swaps in).
    root.querySelectorAll("[data-chart], [data-chart-spec]").forEach(function (el) {
      if (el.dataset.rendered) return;
      var inline = el.getAttribute("data-chart-spec");
      var source = inline ? null : document.getElementById(el.getAttribute("data-chart"));
      if (!inline && !source) return;
      var spec = JSON.parse(inline || source.textContent);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      var many = spec.categories.length > 8;
      chart.setOption({
        color: PALETTE,
        textStyle: { fontFamily: FONT },
        animation: false,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0, left: "center" },
        grid: { left: 8, right: 16, bottom: 8, top: 36, containLabel: true },
        xAxis: {
          type: "category",
          data: spec.categories,
          axisTick: { alignWithLabel: true },
          axisLabel: { rotate: many && spec.type !== "line" ? 40 : 0, interval: spec.type === "line" ? "auto" : 0 }
        },
        yAxis: { type: "value", scale: spec.type === "line", splitLine: { lineStyle: { color: "#e5e9ef" } } },
        series: spec.series.map(function (s, index) {
          var line = spec.type === "line";
          var item = { name: s.name, type: line ? "line" : "bar", data: s.data, barMaxWidth: 28, showSymbol: false };
          if (line && index === 0 && spec.marks) {
            // set-points (e.g. alarm levels) as dashed horizontal lines
            item.markLine = {
              symbol: "none", silent: true, lineStyle: { type: "dashed" },
              data: spec.marks.map(function (value) { return { yAxis: value }; })
            };
          }
          return item;
        })
      });
      el.dataset.rendered = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // Highlight the menu entry of the current module also on detail and edit pages.
  function markCurrentNav() {
    var nav = document.getElementById("nav");
    if (!nav || nav.querySelector("[aria-current=page]")) return;
    var best = null;
    nav.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (href.length > 1 && window.location.pathname.indexOf(href) === 0) {
        if (!best || href.length > best.getAttribute("href").length) best = a;
      }
    });
    if (best) best.setAttribute("aria-current", "page");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    document.querySelectorAll("[data-toggle=nav]").forEach(function (button) {
      button.addEventListener("click", function () {
        var nav = document.getElementById("nav");
        var open = nav.classList.toggle("open");
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
    document.querySelectorAll("[data-toggle=filters]").forEach(function (button) {
      var form = button.closest("form");
      var used = Array.prototype.some.call(form.querySelectorAll(".more-filters [name]"), function (el) {
        return el.value !== "" && el.value !== "unknown" && el.type !== "checkbox";
      });
      if (used) form.classList.add("expanded");
      button.addEventListener("click", function () {
        var open = form.classList.toggle("expanded");
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
    markCurrentNav();
    renderCharts(document);
  });
  // After an HTMX swap (outerHTML swaps replace the target itself) draw the charts that arrived.
  document.addEventListener("htmx:afterSettle", function () { renderCharts(document); });
})();
