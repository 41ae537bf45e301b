// The routes of the running app, two ways: what its Express router serves, and what its Nest controllers declare
// (with each handler's policy). The policy tests compare the two, so a route cannot hide from either.
import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { POLICY, type Policy } from '../../src/auth/policy.js';

export interface DeclaredRoute {
  /** `get /api/v1/tenants/{tenant}` */
  route: string;
  handler: string;
  policy: Policy | undefined;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** Every (method, path) the Express router of the running app has, in OpenAPI path syntax. */
export function servedRoutes(app: INestApplication): string[] {
  const router = (app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router;
  const out = new Set<string>();
  for (const layer of router.stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (on && method !== '_all') out.add(`${method} ${openApiPath(layer.route.path)}`);
    }
  }
  return [...out].sort();
}

/** The method names of a prototype and of every prototype it extends (up to Object's). */
function methodNames(prototype: object): string[] {
  const names = new Set<string>();
  for (let p: object | null = prototype; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const name of Object.getOwnPropertyNames(p)) names.add(name);
  }
  return [...names];
}

/** Every route the app's controllers declare, with the handler's (or its controller's) policy. */
export function declaredRoutes(app: INestApplication): DeclaredRoute[] {
  const out: DeclaredRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!type) continue;
      const prefixes = ([] as string[]).concat((Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined) ?? '');
      const classPolicy = Reflect.getMetadata(POLICY, type) as Policy | undefined;
      // Inherited handlers too (a controller that extends a package's, as /metrics does): Nest serves them.
      for (const name of methodNames(type.prototype as object)) {
        const fn = (type.prototype as Record<string, unknown>)[name];
        if (typeof fn !== 'function' || name === 'constructor') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod].toLowerCase();
        const policy = (Reflect.getMetadata(POLICY, fn) as Policy | undefined) ?? classPolicy;
        for (const prefix of prefixes) {
          for (const path of ([] as string[]).concat(paths)) {
            const joined = `/${[prefix, path]
              .map((p) => p.replace(/^\/+|\/+$/g, ''))
              .filter(Boolean)
              .join('/')}`;
            out.push({ route: `${method} ${openApiPath(joined)}`, handler: `${type.name}.${name}`, policy });
          }
        }
      }
    }
  }
  return out.sort((a, b) => a.route.localeCompare(b.route));
}
