import assert from 'node:assert/strict';
import { test } from 'node:test';

import Ajv from 'ajv';

import { SPEC_SCHEMA } from '../../../src/spec/schemaCheck';

type Node = Record<string, unknown>;

/** Collects every `properties` map of the schema with its owning node and JSON pointer. */
function propertyMaps(node: unknown, pointer: string, out: { owner: Node; pointer: string }[]): void {
	if (node === null || typeof node !== 'object') {
		return;
	}
	const owner = node as Node;
	if (owner.properties !== undefined && typeof owner.properties === 'object') {
		out.push({ owner, pointer });
	}
	for (const [key, child] of Object.entries(owner)) {
		propertyMaps(child, `${pointer}/${key}`, out);
	}
}

test('schema compiles under ajv strict mode', () => {
	const ajv = new Ajv({ strict: true, strictTypes: false, logger: false });
	ajv.addKeyword('x-fix');
	assert.doesNotThrow(() => ajv.compile(SPEC_SCHEMA));
});

test('every optional key states its default', () => {
	const maps: { owner: Node; pointer: string }[] = [];
	propertyMaps(SPEC_SCHEMA, '#', maps);
	const ignored = new Set(['$schema', 'name', 'description', 'expected', 'tolerance', 'type', 'analysis', 'solver', 'sweep', 'x', 'y', 'teacher', 'file', 'target', 'features', 'seed', 'weights']);
	for (const { owner, pointer } of maps) {
		const required = new Set((owner.required as string[] | undefined) ?? []);
		for (const [key, child] of Object.entries(owner.properties as Record<string, Node>)) {
			if (required.has(key) || ignored.has(key) || child.$ref !== undefined || child.const !== undefined) {
				continue;
			}
			const description = String(child.description ?? '');
			assert.match(description, /Default: /, `${pointer}/properties/${key} must state its default in its description`);
			const computed = /Default: (all|every|zeros|widths)/.test(description);
			assert.ok(computed || child.default !== undefined, `${pointer}/properties/${key} needs a default keyword`);
		}
	}
});

test('additionalProperties false on every object', () => {
	const maps: { owner: Node; pointer: string }[] = [];
	propertyMaps(SPEC_SCHEMA, '#', maps);
	for (const { owner, pointer } of maps) {
		const isCondition = pointer === '#/definitions/model' || pointer.endsWith('/if');
		assert.ok(isCondition || owner.additionalProperties === false, `${pointer} must set additionalProperties: false`);
	}
});
