import { centroid, distance, type Point } from './geometry';
import { capitalize, slugify } from './strings';

const route: Point[] = [
  { x: 0, y: 0 },
  { x: 3, y: 4 },
  { x: 6, y: 0 },
];

export function describeRoute(name: string, points: readonly Point[]): string {
  let length = 0;
  for (let i = 1; i < points.length; i++) length += distance(points[i - 1], points[i]);
  const c = centroid(points);
  return `${capitalize(name)} (${slugify(name)}): ${length.toFixed(1)} long, centred at ${c.x.toFixed(1)},${c.y.toFixed(1)}`;
}

export const summary = describeRoute('morning walk', route);
