/* Map of the objectives grid: the communes coloured by their cumulated progress
   ("retard", "ok", "a_venir", "sans_objectif"), drawn by MapLibre from
   plans:objectives_map (GeoJSON). No base map tiles, so it works offline; the same
   figures are in the grid below. Colours match plans.css (.objectifs--*).

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
  var LOCALE = {
    "NavigationControl.ZoomIn": "Zoom avant",
    "NavigationControl.ZoomOut": "Zoom arrière",
    "Popup.Close": "Fermer",
    "CooperativeGesturesHandler.WindowsHelpText": "Ctrl + molette pour zoomer",
    "CooperativeGesturesHandler.MacHelpText": "⌘ + molette pour zoomer",
    "CooperativeGesturesHandler.MobileHelpText": "Deux doigts pour déplacer la carte"
  };
  var integer = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });

  function showState(el, state, message) {
    el.setAttribute("data-state", state);
    var note = el.querySelector(".carte__etat");
    if (message) {
      if (!note) {
        note = document.createElement("p");
        note.className = "carte__etat fr-text--sm";
        el.appendChild(note);
      }
      note.textContent = message;
    } else if (note) {
      note.remove();
    }
  }

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

  function draw(el, doc) {
    var b = doc.bbox;
    var bounds = [[b[0], b[1]], [b[2], b[3]]];
    var map = new window.maplibregl.Map({
      container: el,
      style: {
        version: 8,
        sources: {},
        layers: [{ id: "fond", type: "background", paint: { "background-color": "#f6f6f6" } }]
      },
      bounds: bounds,
      fitBoundsOptions: { padding: 16 },
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      cooperativeGestures: true,
      renderWorldCopies: false,
      locale: LOCALE
    });
    map.addControl(new window.maplibregl.NavigationControl({ showCompass: false }), "top-right");
    map.on("load", function () {
      map.resize();
      map.fitBounds(bounds, { padding: 16, animate: false });
      map.addSource("communes", { type: "geojson", data: doc });
      map.addLayer({ id: "communes", type: "fill", source: "communes", paint: { "fill-color": fill() } });
      map.addLayer({
        id: "limites",
        type: "line",
        source: "communes",
        paint: { "line-color": "#505050", "line-width": 0.6 }
      });
      map.on("click", "communes", function (e) {
        new window.maplibregl.Popup({ maxWidth: "18rem" })
          .setLngLat(e.lngLat)
          .setDOMContent(popupContent(e.features[0].properties))
          .addTo(map);
      });
      map.on("mouseenter", "communes", function () {
        map.getCanvas().style.cursor = "pointer";
      });
      map.on("mouseleave", "communes", function () {
        map.getCanvas().style.cursor = "";
      });
      map.once("idle", function () {
        showState(el, "ready", "");
      });
    });
    map.on("error", function (e) {
      showState(el, "error", "Carte incomplète : " + (e.error && e.error.message ? e.error.message : "erreur"));
    });
  }

  function load(el) {
    showState(el, "loading", "Chargement de la carte…");
    if (!window.maplibregl || !window.maplibregl.Map) {
      showState(el, "error", "La carte ne peut pas s'afficher ici ; les valeurs figurent dans la grille.");
      return;
    }
    fetch(el.getAttribute("data-objectives-map"), { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Error(body && body.erreur ? body.erreur : "erreur " + response.status);
          }
          return body;
        });
      })
      .then(function (doc) {
        try {
          showState(el, "loading", "");
          draw(el, doc);
        } catch (err) {
          showState(el, "error", "La carte ne peut pas s'afficher dans ce navigateur ; les valeurs figurent dans la grille.");
        }
      })
      .catch(function (err) {
        showState(el, "error", "Carte indisponible : " + err.message);
      });
  }

  document.querySelectorAll("[data-objectives-map]").forEach(load);
})();
