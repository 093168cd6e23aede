// Every command id of the extension, in one place (as Error Lens does): package.json's
// `contributes.commands`, the registrations and the tests all name commands through this enum.
export const enum CommandId {
  DifferentiateSelection = 'gradientLens.differentiateSelection',
  ShowGraph = 'gradientLens.showGraph',
  ToggleLenses = 'gradientLens.toggleLenses',
  /** Internal: the command of a failing lens; reveals the problem and opens the Problems view. */
  OpenProblem = 'gradientLens.openProblem',
  /** Internal: the status-bar item of a skipped (too large) file opens the size setting. */
  OpenSizeSetting = 'gradientLens.openSizeSetting',
}
