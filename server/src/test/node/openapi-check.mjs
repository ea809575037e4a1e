// Validates the Management API's OpenAPI document (OPENAPI_FILE) as OpenAPI 3.1, then checks real
// answers (SAMPLES_FILE: [{method, path, status, body}]) against the response schema the document
// gives their operation and status (or "default"). Prints what fails; exits 1 if anything does.
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";

const document = JSON.parse(readFileSync(process.env.OPENAPI_FILE, "utf8"));
const samples = JSON.parse(readFileSync(process.env.SAMPLES_FILE, "utf8"));
let failed = false;

const validation = await new Validator().validate(document);
if (!validation.valid) {
  console.log("document invalid: " + JSON.stringify(validation.errors, null, 1).slice(0, 4000));
  failed = true;
}
if (document.openapi !== "3.1.0") {
  console.log("not OpenAPI 3.1: " + document.openapi);
  failed = true;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
const templates = Object.keys(document.paths).map((template) => ({
  template,
  pattern: new RegExp("^" + template.replace(/\{[^}]+\}/g, "[^/]+") + "$"),
}));

for (const sample of samples) {
  const found = templates.find((t) => t.pattern.test(sample.path));
  const operation = found && document.paths[found.template][sample.method.toLowerCase()];
  if (!operation) {
    console.log(`no operation for ${sample.method} ${sample.path}`);
    failed = true;
    continue;
  }
  const response = operation.responses[String(sample.status)] ?? operation.responses.default;
  const schema = response?.content?.["application/json"]?.schema;
  if (!schema) {
    console.log(`no schema for ${sample.method} ${sample.path} ${sample.status}`);
    failed = true;
    continue;
  }
  const check = ajv.compile({ ...schema, components: document.components });
  if (!check(sample.body)) {
    console.log(`${sample.method} ${sample.path} ${sample.status}: ` + JSON.stringify(check.errors).slice(0, 2000));
    failed = true;
  } else {
    console.log(`ok ${sample.method} ${sample.path} ${sample.status}`);
  }
}
process.exit(failed ? 1 : 0);
