/** The relative imports of one file, resolved to .ts paths. */
export function importsOf(file: string, text?: string): string[];
/** file -> files it imports, for every source file under `root`. */
export function importGraph(root: string): Map<string, string[]>;
/** The cycles of the graph, one sorted list of files per cycle. */
export function cyclesOf(graph: Map<string, string[]>): string[][];
