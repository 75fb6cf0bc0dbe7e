/* Vega-Lite charts of the portal. Each chart is <div data-vega-spec="ID"> next to a
   <script type="application/json" id="ID"> written by the server (json_script), and
   next to a table holding the same figures. Colours follow the DSFR theme (light or
   dark) and numbers the French format; `ast: true` makes Vega interpret its
   expressions instead of compiling them with `new Function` (no CSP unsafe-eval). */
(function () {
  "use strict";

  var FRENCH = { decimal: ",", thousands: "\u202f", grouping: [3], currency: ["", "\u00a0€"] };

  function cssVar(name, fallback) {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  }

  function theme() {
    var text = cssVar("--text-default-grey", "#3a3a3a");
    var mention = cssVar("--text-mention-grey", "#666666");
    var border = cssVar("--border-default-grey", "#dddddd");
    var blue = cssVar("--background-action-high-blue-france", "#000091");
    return {
      background: null,
      font: "Marianne, arial, sans-serif",
      view: { stroke: null },
      axis: {
        labelColor: mention,
        titleColor: text,
        domainColor: border,
        tickColor: border,
        gridColor: border,
        labelFontSize: 12,
        titleFontSize: 12,
        titleFontWeight: "normal"
      },
      mark: { color: blue },
      line: { color: blue, strokeWidth: 2 },
      point: { color: blue, filled: true, size: 40 },
      bar: { color: blue },
      text: { color: text, fontSize: 12 }
    };
  }

  function render(el) {
    var node = document.getElementById(el.getAttribute("data-vega-spec"));
    if (!node || !window.vegaEmbed) {
      return;
    }
    var spec = JSON.parse(node.textContent);
    spec.config = theme();
    el.setAttribute("data-state", "loading");
    window
      .vegaEmbed(el, spec, {
        actions: false,
        renderer: "svg",
        ast: true,
        formatLocale: FRENCH
      })
      .then(function () {
        el.setAttribute("data-state", "ready");
      })
      .catch(function () {
        el.setAttribute("data-state", "error");
        el.textContent = "Graphique indisponible ; les données figurent dans le tableau.";
      });
  }

  function renderAll() {
    document.querySelectorAll("[data-vega-spec]").forEach(render);
  }

  renderAll();
  // The DSFR theme switch (light/dark) sets data-fr-theme on <html>: redraw in its colours.
  new MutationObserver(renderAll).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ["data-fr-theme"]
  });
})();
