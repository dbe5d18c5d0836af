import * as fs from 'node:fs'
import * as path from 'node:path'
import ts from 'typescript'

/**
 * Which AWS operations a mode's code can call, read from the code itself (no list kept by hand), so a call
 * added to src/ shows up here and the policy-drift test asks for its IAM action.
 */

export type Service = 's3' | 'signer' | 'lambda'

export interface SdkCall {
  service: Service
  /** The API operation: GetObject, StartSigningJob. `Upload` for lib-storage's multipart upload. */
  operation: string
  /** Top-level property names of the call's input object, when it is written out (VersionId matters to IAM). */
  inputNames: string[]
  file: string
}

const CLIENT_PACKAGES: Record<string, Service> = {
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-signer': 'signer',
  '@aws-sdk/client-lambda': 'lambda'
}

/**
 * A waiter polls one operation; the SDK's waiters name their state, not the call. From the service models'
 * waiters-2.json (botocore data/signer/2017-08-25/waiters-2.json: SuccessfulSigningJob → DescribeSigningJob).
 */
export const WAITER_OPERATIONS: Record<string, string> = {
  SuccessfulSigningJob: 'DescribeSigningJob',
  BucketExists: 'HeadBucket',
  BucketNotExists: 'HeadBucket',
  ObjectExists: 'HeadObject',
  ObjectNotExists: 'HeadObject'
}

/** The .ts file an import specifier names, or undefined for a package. */
function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined
  const base = path.resolve(path.dirname(from), specifier)
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) return candidate
  }
  throw new Error(`${from}: cannot resolve import '${specifier}'`)
}

function parse(file: string, text = fs.readFileSync(file, 'utf8')): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
}

function moduleSpecifiers(source: ts.SourceFile): string[] {
  const specifiers: string[] = []
  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      specifiers.push(statement.moduleSpecifier.text)
    }
  }
  return specifiers
}

function tsFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return tsFilesUnder(file)
    return entry.isFile() && entry.name.endsWith('.ts') ? [file] : []
  })
}

/** Every file under `dir`, and every src file they import, transitively: all the code a mode can run. */
export function reachableFiles(dir: string): string[] {
  const seen = new Set<string>()
  const queue = tsFilesUnder(dir)
  while (queue.length > 0) {
    const file = queue.pop() as string
    if (seen.has(file)) continue
    seen.add(file)
    for (const specifier of moduleSpecifiers(parse(file))) {
      const target = resolveImport(file, specifier)
      if (target) queue.push(target)
    }
  }
  return [...seen].sort()
}

function inputNames(argument: ts.Expression | undefined): string[] {
  if (!argument || !ts.isObjectLiteralExpression(argument)) return []
  return argument.properties.flatMap(property =>
    property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
      ? [property.name.text]
      : []
  )
}

/** The SDK calls written in one source file: commands sent, lib-storage uploads, paginators and waiters. */
export function sdkCallsInSource(file: string, text?: string): SdkCall[] {
  const source = parse(file, text)
  // Local name → where it comes from: a client package's export, or lib-storage's Upload.
  const imported = new Map<string, { service: Service; name: string } | 'Upload'>()
  const namespaces = new Map<string, Service>()
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue
    const specifier = statement.moduleSpecifier.text
    const bindings = statement.importClause?.namedBindings
    const service = CLIENT_PACKAGES[specifier]
    if (specifier.startsWith('@aws-sdk/client-') && !service) {
      throw new Error(`${file} imports ${specifier}: add the service to CLIENT_PACKAGES and its IAM actions`)
    }
    if (bindings && ts.isNamespaceImport(bindings) && service) namespaces.set(bindings.name.text, service)
    if (!bindings || !ts.isNamedImports(bindings)) continue
    for (const element of bindings.elements) {
      const exported = (element.propertyName ?? element.name).text
      if (specifier === '@aws-sdk/lib-storage' && exported === 'Upload')
        imported.set(element.name.text, 'Upload')
      else if (service) imported.set(element.name.text, { service, name: exported })
    }
  }

  const calls: SdkCall[] = []
  const record = (service: Service, exported: string, argument: ts.Expression | undefined): void => {
    const command = /^(\w+)Command$/.exec(exported)
    const paginator = /^paginate(\w+)$/.exec(exported)
    const waiter = /^wait(?:Until|For)(\w+)$/.exec(exported)
    let operation: string | undefined
    if (command) operation = command[1]
    else if (paginator) operation = paginator[1]
    else if (waiter) {
      operation = WAITER_OPERATIONS[waiter[1]]
      if (!operation)
        throw new Error(`${file}: waiter ${exported}: add the operation it polls to WAITER_OPERATIONS`)
    }
    if (operation) calls.push({ service, operation, inputNames: inputNames(argument), file })
  }
  // A paginator or waiter takes (configuration, input): the input is the second argument.
  const inputArgument = (
    name: string,
    args: ts.NodeArray<ts.Expression> | undefined
  ): ts.Expression | undefined => (/Command$/.test(name) ? args?.[0] : args?.[1])

  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
      const callee = node.expression
      if (ts.isIdentifier(callee)) {
        const origin = imported.get(callee.text)
        if (origin === 'Upload' && ts.isNewExpression(node)) {
          calls.push({ service: 's3', operation: 'Upload', inputNames: [], file })
        } else if (origin && origin !== 'Upload') {
          record(origin.service, origin.name, inputArgument(origin.name, node.arguments))
        }
      } else if (
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        namespaces.has(callee.expression.text)
      ) {
        const name = callee.name.text
        record(namespaces.get(callee.expression.text) as Service, name, inputArgument(name, node.arguments))
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return calls
}

export function sdkCalls(files: string[]): SdkCall[] {
  return files.flatMap(file => sdkCallsInSource(file))
}
