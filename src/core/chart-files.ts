// Where the console saves chart images: a folder per chat user under data/charts, so deleting an
// account (Clerk's user.deleted) can remove that trader's charts and nobody else's.
import path from 'node:path';

/** data/charts under the app's data folder. */
export function chartsRoot(dataDir: string): string {
  return path.join(dataDir, 'charts');
}

/** The folder of one chat user's charts; the id is encoded so it is always one folder name. */
export function userChartDir(root: string, platformUserId: string): string {
  const name = encodeURIComponent(platformUserId).replace(/^\.+$/, (dots) => '%2E'.repeat(dots.length));
  return path.join(root, name || '%00');
}
