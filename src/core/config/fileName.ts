/** The config file at the workspace root (also `--config FILE`). */
export const CONFIG_FILE_NAME = 'bluegreen.yaml';
