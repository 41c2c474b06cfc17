// A small line chart of the training loss per step (grey, with its running mean in blue) and the test
// −ELBO per epoch (orange dots), in nats per example.

export interface LossSeries {
  /** [step, loss] per optimizer step */
  train: [number, number][];
  /** [step, test −ELBO] per epoch */
  test: [number, number][];
}

/**
 * Draws the series on a canvas sized by CSS (device-pixel sharp).
 *
 * @example
 * drawLossChart(canvas, { train: [[1, 540], [2, 300]], test: [] });
 */
export function drawLossChart(canvas: HTMLCanvasElement, s: LossSeries): void {
  const dpr = globalThis.devicePixelRatio || 1;
  const [w, h] = [Math.max(1, Math.round(canvas.clientWidth * dpr)), Math.max(1, Math.round(canvas.clientHeight * dpr))];
  if (canvas.width !== w || canvas.height !== h) [canvas.width, canvas.height] = [w, h];
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  const all = [...s.train, ...s.test];
  if (all.length === 0) return;
  const pad = { l: 44 * dpr, r: 8 * dpr, t: 8 * dpr, b: 20 * dpr };
  const x1 = Math.max(1, ...all.map((p) => p[0]));
  // the first steps' losses (hundreds of nats above the rest) would flatten the curve: clip the y range
  const ys = all.map((p) => p[1]).sort((a, b) => a - b);
  const y0 = ys[0];
  const y1 = ys[Math.floor(0.98 * (ys.length - 1))] + 1e-9;
  const X = (v: number) => pad.l + (v / x1) * (w - pad.l - pad.r);
  const Y = (v: number) => pad.t + (1 - (Math.min(v, y1) - y0) / (y1 - y0)) * (h - pad.t - pad.b);
  ctx.font = `${Math.round(10 * dpr)}px system-ui, sans-serif`;
  ctx.fillStyle = '#666';
  ctx.strokeStyle = '#eee';
  for (let k = 0; k <= 4; k++) {
    const v = y0 + ((y1 - y0) * k) / 4;
    ctx.beginPath();
    ctx.moveTo(pad.l, Y(v));
    ctx.lineTo(w - pad.r, Y(v));
    ctx.stroke();
    ctx.fillText(v.toFixed(0), 2 * dpr, Y(v) + 3 * dpr);
  }
  ctx.fillText(`step ${x1}`, w - 60 * dpr, h - 5 * dpr);
  const line = (pts: [number, number][], color: string, width: number) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = width * dpr;
    ctx.beginPath();
    pts.forEach(([x, y], i) => (i ? ctx.lineTo(X(x), Y(y)) : ctx.moveTo(X(x), Y(y))));
    ctx.stroke();
  };
  line(s.train, '#ccc', 1);
  const k = 20;
  const smooth = s.train.map(([x], i) => {
    const win = s.train.slice(Math.max(0, i - k + 1), i + 1);
    return [x, win.reduce((a, p) => a + p[1], 0) / win.length] as [number, number];
  });
  line(smooth, '#1f77b4', 1.5);
  ctx.fillStyle = '#ff7f0e';
  for (const [x, y] of s.test) {
    ctx.beginPath();
    ctx.arc(X(x), Y(y), 3.5 * dpr, 0, 2 * Math.PI);
    ctx.fill();
  }
}
