/* Map of the objectives grid: the communes coloured by their cumulated progress
   ("retard", "ok", "a_venir", "sans_objectif"), drawn by the shared map (web/map.js)
   from plans:objectives_map (GeoJSON). The same figures are in the grid below. Colours
   match plans.css (.objectifs--*).

   Markup: <div data-objectives-map="URL">; the container gets data-state="loading" |
   "ready" | "error". */
(function () {
  "use strict";

  var COLOURS = {
    retard: "#ce0500",
    ok: "#3182bd",
    a_venir: "#c6dbef",
    sans_objectif: "#e5e5e5"
  };
  var LABELS = {
    retard: "en retard",
    ok: "à jour",
    a_venir: "réalisations pas encore connues",
    sans_objectif: "sans objectif"
  };
  var integer = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });

  function figure(v) {
    return v === null || v === undefined ? "—" : integer.format(v);
  }

  function popupContent(p) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = p.name + " (" + p.code + ")";
    box.appendChild(title);
    var line = document.createElement("div");
    var rate = p.rate === null || p.rate === undefined ? "—" : integer.format(p.rate * 100) + " %";
    line.textContent = figure(p.realised) + " / " + figure(p.objective) + " logements (" + rate + ")";
    box.appendChild(line);
    var state = document.createElement("div");
    state.textContent = LABELS[p.state] + (p.demo ? " — données de démonstration" : "");
    box.appendChild(state);
    return box;
  }

  function fill() {
    var expr = ["match", ["get", "state"]];
    Object.keys(COLOURS).forEach(function (k) {
      expr.push(k, COLOURS[k]);
    });
    expr.push(COLOURS.sans_objectif);
    return expr;
  }

  function load(el) {
    window.observatoireMap.load(el, {
      url: el.getAttribute("data-objectives-map"),
      figuresIn: "la grille",
      fill: fill,
      popup: popupContent
    });
  }

  document.querySelectorAll("[data-objectives-map]").forEach(load);
})();
