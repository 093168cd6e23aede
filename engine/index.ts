// The engine's public surface: everything the core, the CLI, the webview and dist/engine.js use.
export { Value } from './value';
export { OPS, OP_LIST, opSymbol, opFromSymbol, refusal, tanhDerivative, powDerivative } from './opTable';
export type { OpName, OpSpec, UnaryOpName, BinaryOpName, Symbols } from './opTable';
export { add, sub, mul, div, pow, neg, exp, log, relu, tanh, applyOp } from './ops';
export { DomainError } from './errors';
export { topoSort } from './topo';
export { toGraph, toDot, graphToDot, escapeRecordText, escapeQuoted } from './graph';
export type { GraphJSON, GraphJSONNode, DotOptions, GraphDotOptions, DotNode, DotNodeKind } from './graph';
export { gradcheck } from './gradcheck';
export type { GradcheckEntry, GradcheckOptions, GradcheckResult } from './gradcheck';
export { Module, Neuron, Layer, MLP } from './nn';
export type { NeuronOptions, MLPOptions } from './nn';
export { mulberry32, uniform } from './random';
