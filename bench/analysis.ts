// Throughput of loupe's analysis chain over the corpus texts, and of its stemmer beside
// snowball-stemmer.jsx. Runs in its own child process (worker.ts), so the chain's per-word cache
// starts empty and the first pass is a true cold pass.
import { analyze } from "../src/analysis/index.js";
import { loadBenchCorpus } from "./corpus.js";
import { measureStemmers, type StemmerMeasurement } from "./stemmer-speed.js";

export interface AnalysisTask {
  kind: "analysis";
  fraction?: number;
  limit?: number;
  /** Timed warm passes after the cold one; the median is reported. */
  warmPasses: number;
  /** Fewer stemmer rounds: a smoke test. */
  quick: boolean;
}

export interface ChainPass {
  seconds: number;
  mbPerSec: number;
  tokensPerSec: number;
}

export interface AnalysisRun {
  docs: number;
  /** Source bytes (UTF-8 size of the files, 10^6 = 1 MB). */
  bytes: number;
  /** Tokens per pass, stopwords included (flagged), as indexing calls the chain. */
  tokens: number;
  /** First pass in a fresh process: the per-word cache is empty, the JIT cold. */
  cold: ChainPass;
  /** Median of the warm passes: most words are cache hits, as when indexing a large corpus. */
  warm: ChainPass;
  warmPasses: number;
  stemmer: StemmerMeasurement & { rounds: number };
}

function pass(texts: readonly string[]): { seconds: number; tokens: number } {
  let tokens = 0;
  const t0 = performance.now();
  // keepStopwords: the form indexing uses (analyzeDocument), so stopwords count as tokens.
  for (const text of texts) tokens += analyze(text, { keepStopwords: true }).length;
  return { seconds: (performance.now() - t0) / 1000, tokens };
}

export async function measureAnalysis(task: AnalysisTask): Promise<AnalysisRun> {
  const corpus = loadBenchCorpus({
    ...(task.fraction !== undefined && { fraction: task.fraction }),
    ...(task.limit !== undefined && { limit: task.limit }),
  });
  const texts = corpus.docs.flatMap((d) => [d.title, d.body]);
  const bytes = corpus.docs.reduce((n, d) => n + d.bytes, 0);
  const rate = ({ seconds, tokens }: { seconds: number; tokens: number }): ChainPass => ({
    seconds,
    mbPerSec: bytes / 1e6 / seconds,
    tokensPerSec: tokens / seconds,
  });

  const cold = pass(texts);
  const warm: { seconds: number; tokens: number }[] = [];
  for (let i = 0; i < task.warmPasses; i++) warm.push(pass(texts));
  warm.sort((a, b) => a.seconds - b.seconds);
  const median = warm[warm.length >> 1] ?? cold;

  const rounds = task.quick ? { warmupRounds: 1, rounds: 3 } : {};
  const stemmer = await measureStemmers(rounds);
  return {
    docs: corpus.docs.length,
    bytes,
    tokens: cold.tokens,
    cold: rate(cold),
    warm: rate(median),
    warmPasses: warm.length,
    stemmer: { ...stemmer, rounds: rounds.rounds ?? 15 },
  };
}
