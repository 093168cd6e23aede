// Reads the `gradientLens.*` settings. Nothing is cached here: every caller reads the current
// values for its document, so there is no global mutable configuration to keep in sync.
import * as vscode from 'vscode';
import type { HealthOptions } from '../core';

export const SECTION = 'gradientLens';

/** The languages that get lenses without any setting. */
export const DEFAULT_LANGUAGES: readonly string[] = [
  'python',
  'javascript',
  'typescript',
  'javascriptreact',
  'typescriptreact',
];

export interface Settings {
  enabled: boolean;
  lensEnabled: boolean;
  precision: number;
  tag: string;
  gradcheck: { enabled: boolean; rtol: number; atol: number };
  /** The default languages plus the `gradientLens.languages` setting. */
  languages: string[];
  /** Files with more lines than this are skipped. */
  maxFileSize: number;
  maxVariables: number;
  debounceMs: number;
  /** More class or factory names whose call with a number makes a leaf (`gradientLens.leafConstructors`). */
  leafConstructors: string[];
  /** Which gradient health notes the analysis reports (`gradientLens.health.*`). */
  health: HealthOptions;
  /** Each variable's gradient as an inlay hint after it (`gradientLens.inlineHints`). */
  inlineHints: boolean;
}

/** How features read the settings (the context's `settings`): for a document, or the window's. */
export type SettingsReader = (scope?: vscode.ConfigurationScope) => Settings;

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const extra = config.get<unknown>('languages', []);
  const leaves = config.get<unknown>('leafConstructors', []);
  return {
    enabled: config.get<boolean>('enabled', true) !== false,
    lensEnabled: config.get<boolean>('lens.enabled', true) !== false,
    precision: clampInteger(config.get<number>('precision', 4), 0, 12, 4),
    tag: validTag(config.get<string>('tag', '@grad')),
    gradcheck: {
      enabled: config.get<boolean>('gradcheck.enabled', true) !== false,
      rtol: positiveNumber(config.get<number>('gradcheck.rtol', 1e-3), 1e-3),
      atol: positiveNumber(config.get<number>('gradcheck.atol', 1e-5), 1e-5),
    },
    languages: [...DEFAULT_LANGUAGES, ...(Array.isArray(extra) ? extra.filter(isString) : [])],
    maxFileSize: clampInteger(config.get<number>('maxFileSize', 20000), 1, Number.MAX_SAFE_INTEGER, 20000),
    maxVariables: clampInteger(config.get<number>('lens.maxVariables', 8), 0, 1000, 8),
    debounceMs: clampInteger(config.get<number>('debounceMs', 250), 0, 10000, 250),
    leafConstructors: Array.isArray(leaves) ? leaves.filter(isString) : [],
    health: {
      deadRelu: config.get<boolean>('health.deadRelu', true) !== false,
      saturation: config.get<boolean>('health.saturation', true) !== false,
      vanishingExploding: config.get<boolean>('health.vanishingExploding', true) !== false,
      gradcheckKink: config.get<boolean>('health.gradcheckKink', true) !== false,
    },
    inlineHints: config.get<boolean>('inlineHints', false) === true,
  };
}

/**
 * Settings the analysis (or whether it runs) depends on: changing one invalidates cached results.
 * `precision` is among them because the graph panel formats its view once per new result.
 */
const ANALYSIS_SETTINGS = [
  'enabled',
  'languages',
  'tag',
  'gradcheck',
  'maxFileSize',
  'precision',
  'leafConstructors',
  'health',
];
/**
 * Settings that only change how results are shown, or when: the cached results stay valid.
 * `trace` (trace mode's settings, read by trace/settings.ts) changes how the next trace runs.
 */
const PRESENTATION_SETTINGS = ['lens.enabled', 'lens.maxVariables', 'debounceMs', 'trace', 'inlineHints'];

/**
 * Whether settings that change analysis results were touched. A `gradientLens` setting in neither
 * list counts as one, so that a setting added later never leaves stale results behind.
 */
export function affectsAnalysis(event: vscode.ConfigurationChangeEvent): boolean {
  const touched = (key: string) => event.affectsConfiguration(`${SECTION}.${key}`);
  return ANALYSIS_SETTINGS.some(touched) || (affectsPresentation(event) && !PRESENTATION_SETTINGS.some(touched));
}

/** Whether any `gradientLens` setting was touched. */
export function affectsPresentation(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}

// Settings come from hand-edited JSON: a wrong type falls back to the default rather than throwing.
function clampInteger(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

function positiveNumber(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function validTag(value: unknown): string {
  return typeof value === 'string' && /^\S+$/.test(value) ? value : '@grad';
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
