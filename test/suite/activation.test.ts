// The extension as VS Code sees it: found, activated by the fixture languages, its commands
// registered and declared, and its lenses reaching VS Code's own CodeLens API.
// (The feature suites, e.g. lens/hover/diagnostics, live in their own files.)
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, eventually, fixture, lensTitles, lineOf } from './extensionHelpers';

interface CommandContribution {
  command: string;
  title: string;
  category?: string;
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded in the extension host`);
  return ext;
}

/** Opens a fixture without activating the extension first: opening it is what must activate it. */
async function open(name: string): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixture(name)));
}

describe('Extension activation', () => {
  it('runs in the fixture workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.strictEqual(folders.length, 1);
    assert.strictEqual(folders[0].name, 'workspace');
  });

  it('is present and declares a Node and a browser entry', () => {
    const pkg = extension().packageJSON as { main?: string; browser?: string };
    assert.ok(pkg.main, 'no main entry');
    assert.ok(pkg.browser, 'no browser entry (VS Code for the Web)');
  });

  it('activates on Python, JavaScript and TypeScript, never on "*"', () => {
    const events = (extension().packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(!events.includes('*'), 'activation on * slows every VS Code start');
    for (const language of ['python', 'javascript', 'typescript']) {
      assert.ok(
        events.includes(`onLanguage:${language}`),
        `missing onLanguage:${language} in ${JSON.stringify(events)}`,
      );
    }
  });

  it('activates when a Python file with @grad opens', async () => {
    await open('neuron.py');
    await eventually(() => (extension().isActive ? true : undefined), 'activation');
    assert.ok(extension().isActive);
  });

  it('stays active and serves a TypeScript file', async () => {
    const editor = await open('neuron.ts');
    assert.strictEqual(editor.document.languageId, 'typescript');
    assert.ok(extension().isActive);
    await eventually(
      async () =>
        (await lensTitles(editor.document.uri)).some((title) => title.startsWith('o = 0.7071')) ? true : undefined,
      'the lens of neuron.ts',
    );
  });
});

describe('Extension commands', () => {
  const contributed = (): CommandContribution[] =>
    (extension().packageJSON as { contributes?: { commands?: CommandContribution[] } }).contributes?.commands ?? [];

  it('registers every command it contributes', async () => {
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed()
      .map((c) => c.command)
      .filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('offers the three user commands in the palette under "Gradient Lens"', () => {
    const titles = contributed().map((c) => (c.category ? `${c.category}: ${c.title}` : c.title));
    for (const title of [
      'Gradient Lens: Differentiate Selection',
      'Gradient Lens: Show Graph',
      'Gradient Lens: Toggle Lenses',
    ]) {
      assert.ok(titles.includes(title), `"${title}" not among ${JSON.stringify(titles)}`);
    }
  });

  it('puts every command id under the gradientLens. prefix', () => {
    for (const { command } of contributed()) assert.match(command, /^gradientLens\.[A-Za-z]+$/);
  });
});

describe("Lenses through VS Code's API", () => {
  it("gives neuron.py a lens on the @grad line with micrograd's value", async () => {
    const editor = await open('neuron.py');
    const lenses = await eventually(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        editor.document.uri,
        100,
      );
      return found?.some((l) => l.command?.title.startsWith('o = ')) ? found : undefined;
    }, 'a lens titled "o = …"');
    const lens = lenses.find((l) => l.command?.title.startsWith('o = '));
    assert.ok(lens);
    assert.strictEqual(
      lens.range.start.line,
      lineOf(editor.document, 'o = n.tanh()  # @grad'),
      'the lens belongs to the @grad line',
    );
    assert.ok(lens.command?.title.startsWith('o = 0.7071'), lens.command?.title);
  });

  it('gives errors.py no value lens for a failing statement', async () => {
    const editor = await open('errors.py');
    // Wait for the error lenses first: before the lenses exist, "no value lens" holds trivially.
    const titles = await eventually(async () => {
      const found = await lensTitles(editor.document.uri);
      return found.some((title) => title.startsWith('✗ bad_log')) &&
        found.some((title) => title.startsWith('✗ uses_unbound'))
        ? found
        : undefined;
    }, 'the error lenses of errors.py');
    const values = titles.filter((title) => /^(bad_log|uses_unbound) = /.test(title));
    assert.deepStrictEqual(values, []);
  });
});
