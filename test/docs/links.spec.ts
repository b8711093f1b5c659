import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const PAGES = ['README.md', 'clients/typescript/README.md', ...readdirSync(join(ROOT, 'docs')).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];

/** Markdown links and inline-code paths like `docs/errors.md` or `src/openapi/openapi.ts`. */
function referencesOf(page: string): string[] {
  const text = readFileSync(join(ROOT, page), 'utf8');
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]).filter((target) => !/^(https?:|mailto:|#)/.test(target));
  // Paths in code spans are from the repository's root, or the page's own package; what a build
  // or a run creates is not shipped.
  const paths = [...text.matchAll(/`([\w.-]+(?:\/[\w.-]+)+\.(?:md|ts|mjs|js|ya?ml|json))`/g)]
    .map((match) => match[1])
    .filter((path) => !/^(dist|\.data|node_modules)\//.test(path))
    .map((path) => (existsSync(join(ROOT, path)) ? path : relative(ROOT, join(ROOT, dirname(page), path))));
  return [...links.map((target) => relative(ROOT, join(ROOT, dirname(page), target.split('#')[0]))), ...paths];
}

describe('the documentation', () => {
  it.each(PAGES)('%s links to, and names, only files the repository ships', (page) => {
    const missing = referencesOf(page).filter((target) => !existsSync(join(ROOT, target)));
    expect(missing).toEqual([]);
  });

  it.each(PAGES)('%s does not send readers to specification files outside the repository', (page) => {
    const text = readFileSync(join(ROOT, page), 'utf8');
    expect(text.match(/\b(API|DOMAIN|QUALITY|STACK|HOUSE_STYLE)\.md\b/g) ?? []).toEqual([]);
  });

  it('has the integrator pages the README lists', () => {
    for (const page of ['quickstart', 'authentication', 'host-tables', 'errors', 'idempotency', 'docker']) expect(PAGES).toContain(`docs/${page}.md`);
  });
});
