// What the command handlers share with the rest of the server, and argument checking.
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import type { DocumentAnalyses } from '../analyses';
import type { ClientEditSupport } from '../codeActions';
import type { Documents } from './files';

export interface CommandContext {
  documents: Documents;
  analyses: DocumentAnalyses;
  /** What the client said it supports (read when a command runs: set during initialize). */
  support(): ClientEditSupport;
}

/** The first argument of a command, checked to be an object. */
export function argumentsOf(command: string, args: unknown[] | undefined): Record<string, unknown> {
  const first = args?.[0];
  if (typeof first !== 'object' || first === null || Array.isArray(first)) throw invalid(`${command} takes one object argument`);
  return first as Record<string, unknown>;
}

export function stringArg(args: Record<string, unknown>, name: string): string {
  const value = args[name];
  if (typeof value !== 'string' || value === '') throw invalid(`"${name}" must be a non-empty string`);
  return value;
}

export function stringListArg(args: Record<string, unknown>, name: string): string[] {
  const value = args[name];
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string')) {
    throw invalid(`"${name}" must be a non-empty list of strings`);
  }
  return value as string[];
}

export function booleanArg(args: Record<string, unknown>, name: string): boolean {
  const value = args[name];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalid(`"${name}" must be true or false`);
  return value;
}

export function positionArg(args: Record<string, unknown>, name: string): { line: number; character: number } | undefined {
  const value = args[name] as { line?: unknown; character?: unknown } | undefined;
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || !Number.isInteger(value.line) || !Number.isInteger(value.character)) {
    throw invalid(`"${name}" must be a position { line, character }`);
  }
  return { line: value.line as number, character: value.character as number };
}

export function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}
