// Which Freqtrade the Docker runner runs, for the result cache's key: the image as the engine knows it
// now (its name and content id, so a tag moved to a new image is a new key). Asked on every lookup, a
// local API call; null when Docker doesn't answer, and then nothing is cached.
import type Docker from 'dockerode';

export function dockerImageIdentity(docker: Docker, image: string) {
  return async (): Promise<string | null> => {
    try {
      const info = await docker.getImage(image).inspect();
      return `${image}@${info.Id}`;
    } catch {
      return null;
    }
  };
}
