// PAIR Atlas live map: a Streamlit components-v2 renderer around MapLibre GL JS.
//
// The map is created once per mounted element and kept: a rerun with new data changes only what
// changed (the colours and legend, the gap outlines, the service sites, the selection; the
// geometry and the view only when the region or the local authority changes). The library and
// the geometry are static files served by the app itself and cached by the browser; no request
// leaves the machine. Text from data is only ever set as textContent, never as HTML.

const maps = new WeakMap();

function loadLibrary(base) {
  if (window.maplibregl) return Promise.resolve(window.maplibregl);
  if (!window.__pairAtlasMapLibrary) {
    window.__pairAtlasMapLibrary = new Promise((resolve, reject) => {
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = `${base}/maplibre-gl.css`;
      document.head.appendChild(css);
      const script = document.createElement("script");
      script.src = `${base}/maplibre-gl.js`;
      script.onload = () => resolve(window.maplibregl);
      script.onerror = () => reject(new Error("the map library could not be loaded"));
      document.head.appendChild(script);
    });
  }
  return window.__pairAtlasMapLibrary;
}

function fillExpression(palette) {
  const expr = ["match", ["coalesce", ["feature-state", "k"], -1]];
  palette.forEach((colour, i) => expr.push(i, colour));
  expr.push("#bdbdbd");
  return expr;
}

function sitesGeoJSON(sites) {
  return {
    type: "FeatureCollection",
    features: sites.map((s) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates: [s.lon, s.lat] },
      properties: { fill: s.fill, line: s.line, r: s.r, w: s.w },
    })),
  };
}

function setLabels(state, lib, labels) {
  state.labels.forEach((m) => m.remove());
  state.labels = labels.map((l) => {
    const el = document.createElement("div");
    el.className = "pair-map-label";
    el.textContent = l.name;
    const marker = new lib.Marker({ element: el }).setLngLat([l.lon, l.lat]).addTo(state.map);
    // a place name drawn on the map is decoration: the table lists every area for screen readers
    const node = marker.getElement();
    node.removeAttribute("aria-label");
    node.removeAttribute("role");
    node.removeAttribute("tabindex");
    node.setAttribute("aria-hidden", "true");
    return marker;
  });
}

function apply(state) {
  const { map, lib } = state;
  const data = state.pending;
  const last = state.applied || {};
  const geometryChanged = last.geometry !== data.geometry.lsoas;
  if (geometryChanged) {
    map.getSource("lsoas").setData(data.geometry.lsoas);
    map.getSource("lad").setData(data.geometry.lad);
  }
  if (geometryChanged || JSON.stringify(last.bounds) !== JSON.stringify(data.bounds)) {
    map.fitBounds([[data.bounds[0], data.bounds[1]], [data.bounds[2], data.bounds[3]]], { padding: 12, animate: false });
    setLabels(state, lib, data.labels);
  }
  if (geometryChanged || last.k !== data.k_key) {
    const codes = data.codes;
    for (let i = 0; i < codes.length; i++) {
      map.setFeatureState({ source: "lsoas", id: codes[i] }, { k: data.k[i] });
    }
    map.setPaintProperty("lsoa-fill", "fill-color", fillExpression(data.palette));
  } else if (JSON.stringify(last.palette) !== JSON.stringify(data.palette)) {
    map.setPaintProperty("lsoa-fill", "fill-color", fillExpression(data.palette));
  }
  map.setFilter("gaps", ["in", ["get", "c"], ["literal", data.gaps]]);
  map.setLayoutProperty("gaps", "visibility", data.gaps.length ? "visible" : "none");
  if (!("selected" in last) || last.selected !== data.selected) {
    // a click outlines its neighbourhood at once; Python's copy of the selection arrives a rerun later
    map.setFilter("selected", ["==", ["get", "c"], data.selected || ""]);
  }
  if (JSON.stringify(last.sites) !== JSON.stringify(data.sites)) {
    map.getSource("sites").setData(sitesGeoJSON(data.sites));
  }
  state.legend = data.legend;
  state.byCode = new Map(data.codes.map((c, i) => [c, data.k[i]]));
  state.applied = { geometry: data.geometry.lsoas, bounds: data.bounds, k: data.k_key, palette: data.palette, sites: data.sites, selected: data.selected };
  state.container.setAttribute("aria-label", data.description);
  state.generation += 1;
  const generation = state.generation;
  map.once("idle", () => {
    if (state.generation === generation) {
      state.container.dataset.rendered = String(generation);
      state.container.dataset.key = data.k_key;
    }
  });
  map.triggerRepaint();
}

function build(state, lib, data) {
  const map = new lib.Map({
    container: state.container,
    style: data.style,
    bounds: [[data.bounds[0], data.bounds[1]], [data.bounds[2], data.bounds[3]]],
    fitBoundsOptions: { padding: 12 },
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    fadeDuration: 0,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new lib.NavigationControl({ showCompass: false }), "top-right");
  state.map = map;
  state.lib = lib;
  map.on("load", () => {
    map.addSource("lsoas", { type: "geojson", data: { type: "FeatureCollection", features: [] }, promoteId: "c" });
    map.addSource("lad", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addSource("sites", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addLayer({ id: "lsoa-fill", type: "fill", source: "lsoas", paint: { "fill-color": "#bdbdbd", "fill-opacity": 0.85 } });
    map.addLayer({ id: "lad-line", type: "line", source: "lad", paint: { "line-color": "#231F20", "line-width": 1.2, "line-opacity": 0.7 } });
    map.addLayer({ id: "gaps", type: "line", source: "lsoas", filter: ["in", ["get", "c"], ["literal", []]],
                   paint: { "line-color": "rgb(213,40,27)", "line-width": ["interpolate", ["linear"], ["zoom"], 7, 1, 11, 2.5] } });
    map.addLayer({ id: "selected", type: "line", source: "lsoas", filter: ["==", ["get", "c"], ""],
                   paint: { "line-color": "#003087", "line-width": 3.5 } });
    map.addLayer({ id: "sites", type: "circle", source: "sites",
                   paint: { "circle-color": ["get", "fill"], "circle-radius": ["get", "r"], "circle-stroke-color": ["get", "line"],
                            "circle-stroke-width": ["get", "w"] } });
    state.loaded = true;
    apply(state);
  });
  const tip = document.createElement("div");
  tip.className = "pair-map-tip";
  tip.setAttribute("role", "status");
  state.container.appendChild(tip);
  map.on("mousemove", "lsoa-fill", (e) => {
    const f = e.features && e.features[0];
    if (!f) return;
    const p = f.properties;
    const k = state.byCode ? state.byCode.get(p.c) : undefined;
    const band = k !== undefined && k >= 0 && state.legend ? state.legend.labels[k] : "no data";
    tip.textContent = `${p.n} (${p.c}), ${p.la}\n${state.legend ? state.legend.title : ""}: ${band}\nInfants aged 0: ${p.i}`;
    tip.style.left = `${e.point.x + 12}px`;
    tip.style.top = `${e.point.y + 12}px`;
    tip.style.display = "block";
    map.getCanvas().style.cursor = "pointer";
  });
  map.on("mouseleave", "lsoa-fill", () => {
    tip.style.display = "none";
    map.getCanvas().style.cursor = "";
  });
  map.on("click", "lsoa-fill", (e) => {
    const f = e.features && e.features[0];
    if (!f) return;
    map.setFilter("selected", ["==", ["get", "c"], f.properties.c]);
    state.setTrigger("click", f.properties.c);
  });
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let state = maps.get(parentElement);
  if (!state) {
    const container = document.createElement("div");
    container.className = "pair-map";
    container.style.height = `${data.height}px`;
    container.setAttribute("role", "region");
    container.dataset.rendered = "0";
    parentElement.appendChild(container);
    state = { container, labels: [], generation: 0, loaded: false };
    maps.set(parentElement, state);
    state.pending = data;
    state.setTrigger = setTriggerValue;
    loadLibrary(data.lib).then((lib) => build(state, lib, data)).catch((err) => {
      container.textContent = `The map could not be drawn (${err.message}); the table below lists every neighbourhood.`;
    });
  }
  state.pending = data;
  state.setTrigger = setTriggerValue;
  if (state.loaded) apply(state);
  return () => {
    // Unmounted (the page changed, or the map was hidden): free the WebGL context.
    setTimeout(() => {
      if (!parentElement.isConnected && state.map) {
        state.map.remove();
        maps.delete(parentElement);
      }
    }, 0);
  };
}
