/* The map of a territory's brownfield sites (Cartofriches) on its portrait, drawn by the
   shared map (web/map.js) from the open API (/api/v1/friches): one point per site,
   coloured by status, with its name, status and surface in a popup. The same sites are
   listed in the table under the map.

   Markup: <div data-friches="API URL">. */
(function () {
  "use strict";

  var COLOURS = [
    "match", ["get", "statut"],
    "friche sans projet", "#ce614a",
    "friche avec projet", "#e4794a",
    "friche reconvertie", "#18753c",
    "friche potentielle", "#8585f6",
    "#666666"
  ];
  var MARGIN = 0.01; // degrees around the points: one site is not a zero-size box

  function bbox(doc) {
    var b = [180, 90, -180, -90];
    doc.features.forEach(function (f) {
      var c = f.geometry.coordinates;
      b = [Math.min(b[0], c[0]), Math.min(b[1], c[1]), Math.max(b[2], c[0]), Math.max(b[3], c[1])];
    });
    return [b[0] - MARGIN, b[1] - MARGIN, b[2] + MARGIN, b[3] + MARGIN];
  }

  function popup(p) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = p.nom || p.site_id;
    box.appendChild(title);
    var surface = p.surface_m2 === null || p.surface_m2 === undefined
      ? "surface non renseignée"
      : new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 }).format(p.surface_m2) + " m²";
    [p.statut || "statut non renseigné", p.type || "", surface, p.commune_nom || p.commune].forEach(function (line) {
      if (line) {
        var el = document.createElement("div");
        el.textContent = line;
        box.appendChild(el);
      }
    });
    return box;
  }

  function init(el) {
    window.observatoireMap.load(el, {
      url: el.getAttribute("data-friches"),
      figuresIn: "la liste",
      prepare: function (doc) {
        doc.bbox = bbox(doc);
      },
      fill: function () {
        return "rgba(0,0,0,0)";
      },
      layers: function (map, source) {
        map.addLayer({
          id: "sites",
          type: "circle",
          source: source,
          paint: {
            "circle-radius": 5,
            "circle-color": COLOURS,
            "circle-stroke-color": "#ffffff",
            "circle-stroke-width": 1
          }
        });
        map.on("click", "sites", function (e) {
          new window.maplibregl.Popup({ maxWidth: "18rem" })
            .setLngLat(e.features[0].geometry.coordinates)
            .setDOMContent(popup(e.features[0].properties))
            .addTo(map);
        });
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-friches]").forEach(init);
  });
})();
