/** Typings for the two local-run libraries that ship none usable from CommonJS (asl-validator, aws-local-stepfunctions). */
declare module 'asl-validator' {
  function validator(definition: unknown, opts?: { checkArn?: boolean; checkPaths?: boolean }): { isValid: boolean; errors: unknown[] };
  export = validator;
}
