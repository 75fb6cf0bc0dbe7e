/* A map of points on a portrait (Cartofriches sites, FINESS établissements), drawn by the
   shared map (web/map.js) from an open API GeoJSON of points: one circle per feature,
   coloured by one of its properties, with its name and a few lines in a popup. The page
   repeats the same points in a table and the colours in a legend.

   Markup: <div data-points="API URL" data-points-colour="property"
     data-points-palette='{"value": "#hex", ...}'
     data-points-lines='[{"key": "property", "unit": " m²", "missing": "non renseigné"}, ...]'>
   A line whose key is a list shows the first present property (["commune_nom", "commune"]). */
(function () {
  "use strict";

  var OTHER = "#666666";
  var MARGIN = 0.01; // degrees around the points: one point is not a zero-size box
  var NUMBER = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });

  function bbox(doc) {
    var b = [180, 90, -180, -90];
    doc.features.forEach(function (f) {
      var c = f.geometry.coordinates;
      b = [Math.min(b[0], c[0]), Math.min(b[1], c[1]), Math.max(b[2], c[0]), Math.max(b[3], c[1])];
    });
    return [b[0] - MARGIN, b[1] - MARGIN, b[2] + MARGIN, b[3] + MARGIN];
  }

  function colours(property, palette) {
    var expression = ["match", ["get", property]];
    Object.keys(palette).forEach(function (value) {
      expression.push(value, palette[value]);
    });
    return expression.length > 2 ? expression.concat([OTHER]) : OTHER;
  }

  function text(p, line) {
    var keys = Array.isArray(line.key) ? line.key : [line.key];
    for (var i = 0; i < keys.length; i++) {
      var v = p[keys[i]];
      if (v !== null && v !== undefined && v !== "") {
        return (typeof v === "number" ? NUMBER.format(v) : v) + (line.unit || "");
      }
    }
    return line.missing || "";
  }

  function popup(p, lines) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = p.nom || p.site_id || p.nofinesset || "";
    box.appendChild(title);
    lines.forEach(function (line) {
      var value = text(p, line);
      if (value) {
        var el = document.createElement("div");
        el.textContent = value;
        box.appendChild(el);
      }
    });
    return box;
  }

  function init(el) {
    var palette = JSON.parse(el.getAttribute("data-points-palette") || "{}");
    var lines = JSON.parse(el.getAttribute("data-points-lines") || "[]");
    var paint = colours(el.getAttribute("data-points-colour"), palette);
    window.observatoireMap.load(el, {
      url: el.getAttribute("data-points"),
      figuresIn: "la liste",
      prepare: function (doc) {
        doc.bbox = bbox(doc);
      },
      fill: function () {
        return "rgba(0,0,0,0)";
      },
      layers: function (map, source) {
        map.addLayer({
          id: "points",
          type: "circle",
          source: source,
          paint: {
            "circle-radius": 5,
            "circle-color": paint,
            "circle-stroke-color": "#ffffff",
            "circle-stroke-width": 1
          }
        });
        map.on("click", "points", function (e) {
          new window.maplibregl.Popup({ maxWidth: "18rem" })
            .setLngLat(e.features[0].geometry.coordinates)
            .setDOMContent(popup(e.features[0].properties, lines))
            .addTo(map);
        });
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-points]").forEach(init);
  });
})();
