import { PNG } from 'pngjs';

/** Bar colours, also used for the legend cells next to the picture so names match bars. */
export const BAR_COLOURS = ['1F77B4', 'FF7F0E', '2CA02C', 'D62728', '9467BD', '8C564B', 'E377C2', '7F7F7F'];

/**
 * A bar chart of each vendor's share of the maximum score, as a PNG: exceljs writes no native
 * charts, and a picture is what Excel users expect to see on a summary. Gridlines mark 25 % steps;
 * the names are in the cells beside it, coloured like the bars.
 */
export function totalsChart(shares: readonly number[], width = 640, height = 320): Buffer {
  const png = new PNG({ width, height });
  const fill = (x0: number, y0: number, x1: number, y1: number, hex: string) => {
    const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [
      number,
      number,
      number,
    ];
    for (let y = Math.max(0, y0); y < Math.min(height, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x1); x++) {
        const i = (y * width + x) * 4;
        png.data[i] = r;
        png.data[i + 1] = g;
        png.data[i + 2] = b;
        png.data[i + 3] = 255;
      }
    }
  };
  fill(0, 0, width, height, 'FFFFFF');
  const left = 20;
  const bottom = height - 20;
  const top = 20;
  const plot = bottom - top;
  for (let q = 0; q <= 4; q++) {
    const y = Math.round(bottom - (plot * q) / 4);
    fill(left, y, width - 20, y + 1, q === 0 ? '404040' : 'D9D9D9');
  }
  const n = Math.max(1, shares.length);
  const slot = (width - 20 - left) / n;
  const bar = Math.max(4, Math.floor(slot * 0.6));
  shares.forEach((share, i) => {
    const h = Math.round(plot * Math.max(0, Math.min(1, share)));
    const x = Math.round(left + slot * i + (slot - bar) / 2);
    fill(x, bottom - h, x + bar, bottom, BAR_COLOURS[i % BAR_COLOURS.length] as string);
  });
  return PNG.sync.write(png);
}
