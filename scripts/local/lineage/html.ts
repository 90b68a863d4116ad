/** The lineage graph as an SVG (one column per layer) and as a self-contained page with the gold column trace. */
import { LAYERS, type GoldTrace, type LineageGraph } from './graph';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const LAYER_TITLES: Record<string, string> = {
  source: 'Sources',
  raw: 'Lake: raw',
  staging: 'Lake: staging',
  bronze: 'Warehouse: bronze',
  silver: 'silver',
  gold: 'gold',
};

/** An SVG of the dataset graph: layers left to right, datasets top to bottom, one curve per edge. */
export function lineageSvg(graph: LineageGraph): string {
  const colWidth = 250;
  const rowHeight = 22;
  const boxWidth = 220;
  const top = 40;
  const position = new Map<string, { x: number; y: number }>();
  let height = 0;
  LAYERS.forEach((layer, i) => {
    const ids = graph.nodes.filter((n) => n.layer === layer).map((n) => n.id);
    [...new Set(ids)].sort().forEach((id, row) => {
      position.set(id, { x: 10 + i * colWidth, y: top + row * rowHeight });
      height = Math.max(height, top + (row + 1) * rowHeight);
    });
  });
  const width = 10 + LAYERS.length * colWidth;
  const edges = graph.edges
    .filter((e) => position.has(e.from) && position.has(e.to))
    .map((e) => {
      const a = position.get(e.from)!;
      const b = position.get(e.to)!;
      const [x1, y1, x2, y2] = [a.x + boxWidth, a.y + 8, b.x, b.y + 8];
      const mid = (x1 + x2) / 2;
      return `<path class="edge" data-from="${escape(e.from)}" data-to="${escape(e.to)}" d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}"><title>${escape(e.job)}</title></path>`;
    });
  const nodes = [...position.entries()].map(([id, p]) => {
    const node = graph.nodes.find((n) => n.id === id)!;
    const label = id.length > 34 ? `${id.slice(0, 33)}…` : id;
    return `<g class="node layer-${node.layer}" data-id="${escape(id)}"><rect x="${p.x}" y="${p.y}" width="${boxWidth}" height="16" rx="3"/><text x="${p.x + 4}" y="${p.y + 12}">${escape(label)}</text><title>${escape(`${id} — written by ${node.writtenBy}; ${node.columns.length} columns`)}</title></g>`;
  });
  const titles = LAYERS.map((layer, i) => `<text class="layer-title" x="${10 + i * colWidth}" y="24">${LAYER_TITLES[layer]}</text>`);
  return `<svg class="lineage" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height + 10}" width="${width}" height="${height + 10}">
<style>.edge{fill:none;stroke:#8aa;stroke-width:1;opacity:.7}.node rect{fill:#eef3f8;stroke:#4a6b8a}.layer-gold rect{fill:#fff3cd;stroke:#b8860b}.layer-source rect{fill:#e3f4e1;stroke:#3c763d}.node text{font:11px sans-serif}.layer-title{font:bold 13px sans-serif}</style>
${titles.join('\n')}
${edges.join('\n')}
${nodes.join('\n')}
</svg>`;
}

/** The gold column → source columns table. */
export function goldTraceTable(trace: GoldTrace): string {
  const rows = Object.entries(trace.traced)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([column, sources]) => `<tr><td>${escape(column)}</td><td>${sources.map(escape).join('<br>')}</td></tr>`);
  const params = trace.parameters.map((c) => `<tr><td>${escape(c)}</td><td><em>build parameter</em></td></tr>`);
  const broken = trace.untraced.map((c) => `<tr class="untraced"><td colspan="2">${escape(c)}</td></tr>`);
  return `<table class="trace"><thead><tr><th>gold column</th><th>source columns</th></tr></thead><tbody>${[...rows, ...params, ...broken].join('')}</tbody></table>`;
}

/** A standalone HTML page of the lineage. */
export function lineagePage(graph: LineageGraph, trace: GoldTrace): string {
  const total = Object.keys(trace.traced).length + trace.parameters.length + trace.untraced.length;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>DataFlow lineage</title>
<style>body{font:14px sans-serif;margin:20px}table.trace{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top}.untraced{background:#fdd}</style></head>
<body><h1>DataFlow lineage</h1>
<p>Sources → lake zones → bronze → silver → gold, generated from the table specs, the stream contracts, the lake layout and the dbt manifest.
Gold columns traced to a source: <strong id="traced">${Object.keys(trace.traced).length}</strong> of <strong id="total">${total}</strong> (${trace.parameters.length} build parameters, ${trace.untraced.length} untraced).</p>
${lineageSvg(graph)}
<h2>Gold columns</h2>
${goldTraceTable(trace)}
</body></html>`;
}
