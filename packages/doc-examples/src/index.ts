export {
  closeEnough,
  describeDocExamples,
  type DocExamplesOptions,
} from './describe-doc-examples.js';
