// Every command id of the extension, in one place (as Error Lens does): every registration names
// its command through this enum. package.json's `contributes.commands` repeats the public ids, and
// the extension-host tests call commands by their literal ids, so a renamed id fails them.
export const enum CommandId {
  DifferentiateSelection = 'gradientLens.differentiateSelection',
  ShowGraph = 'gradientLens.showGraph',
  ToggleLenses = 'gradientLens.toggleLenses',
  /** Trace mode: runs the active file or notebook and shows the gradients read from the live objects. */
  TraceGradients = 'gradientLens.traceGradients',
  /** Internal: the trace status-bar item: trace again, show the output, or back to the static lenses. */
  TraceMenu = 'gradientLens.traceMenu',
  /** Internal: the hover's "Plot o against x1" link; opens the graph panel's plot of the lens against a variable. */
  PlotAgainst = 'gradientLens.plotAgainst',
  /** Internal: the command of a failing lens; reveals the problem and opens the Problems view. */
  OpenProblem = 'gradientLens.openProblem',
  /** Internal: the status-bar item of a skipped (too large) file opens the size setting. */
  OpenSizeSetting = 'gradientLens.openSizeSetting',
  /** Internal, registered outside production only (panel/graphPanelTestSupport.ts): the graph panel as the tests see it. */
  GraphPanelTest = 'gradientLens.graphPanel.test',
}
