/** Remote scripts are .sh files, bundled as text (esbuild's text loader; a require hook in the tests). */
declare module '*.sh' {
  const text: string;
  export = text;
}
