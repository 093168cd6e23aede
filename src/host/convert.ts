// The only place where the core's plain ranges and VS Code's classes meet.
import * as vscode from 'vscode';
import type * as core from '../core';

export function toVsRange(range: core.Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toCoreRange(range: vscode.Range): core.Range {
  return { start: toCorePosition(range.start), end: toCorePosition(range.end) };
}

export function toCorePosition(position: vscode.Position): core.Position {
  return { line: position.line, character: position.character };
}

export function toSeverity(severity: core.Severity): vscode.DiagnosticSeverity {
  if (severity === 'error') return vscode.DiagnosticSeverity.Error;
  // 'info': trace mode's notes ("the run never reached this statement") and the gradient health notes.
  return severity === 'info' ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Warning;
}
