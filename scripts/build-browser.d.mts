/** The bundle's path: dist/assets/app.js. */
export declare const BUNDLE: string;
/** Bundles the page's browser script into BUNDLE; resolves to its size in bytes. */
export declare function buildBrowser(): Promise<number>;
