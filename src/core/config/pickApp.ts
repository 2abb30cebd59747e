import { BlueGreenError } from '../errors';
import { AppConfig, Config } from './types';

/** The app a command is about: the one named, or the only one. */
export function pickApp(config: Config, name?: string): AppConfig {
  const names = config.apps.map((a) => a.name).join(', ');
  if (name !== undefined) {
    const app = config.apps.find((a) => a.name === name);
    if (!app) throw new BlueGreenError('usage', `no app "${name}" in ${config.file} (apps: ${names})`);
    return app;
  }
  if (config.apps.length > 1) throw new BlueGreenError('usage', `${config.file} has several apps; name one (${names})`);
  return config.apps[0];
}
