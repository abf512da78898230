/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment MutationFailureFields on Error {\n    message\n    code\n    ... on ConflictError {\n      suggestedVersion\n    }\n    ... on BadUserInputError {\n      fieldErrors {\n        field\n        message\n      }\n    }\n  }\n": typeof types.MutationFailureFieldsFragmentDoc,
    "\n  mutation UploadAdapter($files: [File!]!, $input: UploadAdapterInput!) {\n    uploadAdapter(files: $files, input: $input) {\n      __typename\n      ... on UploadAdapterSuccess {\n        adapter {\n          id\n          name\n          version\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.UploadAdapterDocument,
    "\n  mutation RegisterAdapter($input: RegisterAdapterInput!) {\n    registerAdapter(input: $input) {\n      __typename\n      ... on RegisterAdapterSuccess {\n        adapter {\n          id\n          name\n          version\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.RegisterAdapterDocument,
    "\n  mutation ActivateAdapter($id: ID!) {\n    activateAdapter(id: $id) {\n      __typename\n      ... on ActivateAdapterSuccess {\n        adapter {\n          id\n          active\n          ordinal\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.ActivateAdapterDocument,
    "\n  mutation DeactivateAdapter($id: ID!) {\n    deactivateAdapter(id: $id) {\n      __typename\n      ... on DeactivateAdapterSuccess {\n        adapter {\n          id\n          active\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.DeactivateAdapterDocument,
    "\n  subscription AdapterActivity {\n    activity {\n      id\n      type\n      subjectType\n      subjectId\n    }\n  }\n": typeof types.AdapterActivityDocument,
    "\n  mutation DeleteAdapter($id: ID!) {\n    deleteAdapter(id: $id) {\n      __typename\n      ... on DeleteAdapterSuccess {\n        adapter {\n          id\n          active\n          deletedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.DeleteAdapterDocument,
    "\n  fragment AdapterDetail on Adapter {\n    id\n    name\n    version\n    description\n    format\n    source\n    active\n    weight\n    rank\n    alpha\n    useRslora\n    scale\n    effectiveScale\n    targetModules\n    tensorCount\n    sizeBytes\n    sha256\n    autoV2\n    originalFilename\n    baseModelNameInFile\n    tags\n    trainedWords\n    triggers\n    activationText\n    trainingConfig\n    civitai\n    warnings\n    usageCount\n    averageRating\n    ratingCount\n    createdAt\n    updatedAt\n    deletedAt\n    baseModel {\n      ...BaseModelSummary\n    }\n    compatibility(baseModelId: $current) @include(if: $withCompatibility) {\n      compatible\n      reason\n    }\n    files {\n      name\n      role\n      sizeBytes\n      sha256\n    }\n  }\n": typeof types.AdapterDetailFragmentDoc,
    "\n  query AdapterDetail($id: ID!, $current: ID!, $withCompatibility: Boolean!) {\n    adapter(id: $id) {\n      ...AdapterDetail\n    }\n  }\n": typeof types.AdapterDetailDocument,
    "\n  fragment AdapterListItem on Adapter {\n    id\n    name\n    version\n    active\n    format\n    tags\n    createdAt\n    baseModel {\n      id\n      displayName\n    }\n    compatibility(baseModelId: $current) @include(if: $withCompatibility) {\n      compatible\n      reason\n    }\n  }\n": typeof types.AdapterListItemFragmentDoc,
    "\n  query AdapterList(\n    $filter: AdapterFilter\n    $orderBy: AdapterOrder\n    $first: Int!\n    $after: String\n    $current: ID!\n    $withCompatibility: Boolean!\n  ) {\n    adapters(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AdapterListItem\n        }\n      }\n    }\n  }\n": typeof types.AdapterListDocument,
    "\n  query AdapterGroups($filter: AdapterFilter, $current: ID!, $withCompatibility: Boolean!) {\n    adapterGroups(filter: $filter) {\n      name\n      count\n      latest {\n        id\n        version\n        createdAt\n      }\n      versions {\n        ...AdapterListItem\n      }\n    }\n  }\n": typeof types.AdapterGroupsDocument,
    "\n  mutation RenameAdapter($id: ID!, $name: String!) {\n    renameAdapter(id: $id, name: $name) {\n      __typename\n      ... on RenameAdapterSuccess {\n        adapter {\n          id\n          name\n          updatedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.RenameAdapterDocument,
    "\n  fragment BaseModelSummary on BaseModel {\n    id\n    displayName\n    modality\n    family\n    version\n    discovered\n    capabilities {\n      maxDurationSeconds\n      sampleRate\n      resolution\n      maxTokens\n    }\n  }\n": typeof types.BaseModelSummaryFragmentDoc,
    "\n  query BaseModels {\n    baseModels {\n      ...BaseModelSummary\n    }\n  }\n": typeof types.BaseModelsDocument,
    "\n  fragment TrainingParameterSummary on TrainingParameter {\n    key\n    category\n    label\n    description\n    unit\n    valueType\n  }\n": typeof types.TrainingParameterSummaryFragmentDoc,
    "\n  query TrainingParameters {\n    trainingConfigSchema {\n      ...TrainingParameterSummary\n    }\n  }\n": typeof types.TrainingParametersDocument,
};
const documents: Documents = {
    "\n  fragment MutationFailureFields on Error {\n    message\n    code\n    ... on ConflictError {\n      suggestedVersion\n    }\n    ... on BadUserInputError {\n      fieldErrors {\n        field\n        message\n      }\n    }\n  }\n": types.MutationFailureFieldsFragmentDoc,
    "\n  mutation UploadAdapter($files: [File!]!, $input: UploadAdapterInput!) {\n    uploadAdapter(files: $files, input: $input) {\n      __typename\n      ... on UploadAdapterSuccess {\n        adapter {\n          id\n          name\n          version\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.UploadAdapterDocument,
    "\n  mutation RegisterAdapter($input: RegisterAdapterInput!) {\n    registerAdapter(input: $input) {\n      __typename\n      ... on RegisterAdapterSuccess {\n        adapter {\n          id\n          name\n          version\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.RegisterAdapterDocument,
    "\n  mutation ActivateAdapter($id: ID!) {\n    activateAdapter(id: $id) {\n      __typename\n      ... on ActivateAdapterSuccess {\n        adapter {\n          id\n          active\n          ordinal\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.ActivateAdapterDocument,
    "\n  mutation DeactivateAdapter($id: ID!) {\n    deactivateAdapter(id: $id) {\n      __typename\n      ... on DeactivateAdapterSuccess {\n        adapter {\n          id\n          active\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.DeactivateAdapterDocument,
    "\n  subscription AdapterActivity {\n    activity {\n      id\n      type\n      subjectType\n      subjectId\n    }\n  }\n": types.AdapterActivityDocument,
    "\n  mutation DeleteAdapter($id: ID!) {\n    deleteAdapter(id: $id) {\n      __typename\n      ... on DeleteAdapterSuccess {\n        adapter {\n          id\n          active\n          deletedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.DeleteAdapterDocument,
    "\n  fragment AdapterDetail on Adapter {\n    id\n    name\n    version\n    description\n    format\n    source\n    active\n    weight\n    rank\n    alpha\n    useRslora\n    scale\n    effectiveScale\n    targetModules\n    tensorCount\n    sizeBytes\n    sha256\n    autoV2\n    originalFilename\n    baseModelNameInFile\n    tags\n    trainedWords\n    triggers\n    activationText\n    trainingConfig\n    civitai\n    warnings\n    usageCount\n    averageRating\n    ratingCount\n    createdAt\n    updatedAt\n    deletedAt\n    baseModel {\n      ...BaseModelSummary\n    }\n    compatibility(baseModelId: $current) @include(if: $withCompatibility) {\n      compatible\n      reason\n    }\n    files {\n      name\n      role\n      sizeBytes\n      sha256\n    }\n  }\n": types.AdapterDetailFragmentDoc,
    "\n  query AdapterDetail($id: ID!, $current: ID!, $withCompatibility: Boolean!) {\n    adapter(id: $id) {\n      ...AdapterDetail\n    }\n  }\n": types.AdapterDetailDocument,
    "\n  fragment AdapterListItem on Adapter {\n    id\n    name\n    version\n    active\n    format\n    tags\n    createdAt\n    baseModel {\n      id\n      displayName\n    }\n    compatibility(baseModelId: $current) @include(if: $withCompatibility) {\n      compatible\n      reason\n    }\n  }\n": types.AdapterListItemFragmentDoc,
    "\n  query AdapterList(\n    $filter: AdapterFilter\n    $orderBy: AdapterOrder\n    $first: Int!\n    $after: String\n    $current: ID!\n    $withCompatibility: Boolean!\n  ) {\n    adapters(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AdapterListItem\n        }\n      }\n    }\n  }\n": types.AdapterListDocument,
    "\n  query AdapterGroups($filter: AdapterFilter, $current: ID!, $withCompatibility: Boolean!) {\n    adapterGroups(filter: $filter) {\n      name\n      count\n      latest {\n        id\n        version\n        createdAt\n      }\n      versions {\n        ...AdapterListItem\n      }\n    }\n  }\n": types.AdapterGroupsDocument,
    "\n  mutation RenameAdapter($id: ID!, $name: String!) {\n    renameAdapter(id: $id, name: $name) {\n      __typename\n      ... on RenameAdapterSuccess {\n        adapter {\n          id\n          name\n          updatedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.RenameAdapterDocument,
    "\n  fragment BaseModelSummary on BaseModel {\n    id\n    displayName\n    modality\n    family\n    version\n    discovered\n    capabilities {\n      maxDurationSeconds\n      sampleRate\n      resolution\n      maxTokens\n    }\n  }\n": types.BaseModelSummaryFragmentDoc,
    "\n  query BaseModels {\n    baseModels {\n      ...BaseModelSummary\n    }\n  }\n": types.BaseModelsDocument,
    "\n  fragment TrainingParameterSummary on TrainingParameter {\n    key\n    category\n    label\n    description\n    unit\n    valueType\n  }\n": types.TrainingParameterSummaryFragmentDoc,
    "\n  query TrainingParameters {\n    trainingConfigSchema {\n      ...TrainingParameterSummary\n    }\n  }\n": types.TrainingParametersDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MutationFailureFields on Error {\n    message\n    code\n    ... on ConflictError {\n      suggestedVersion\n    }\n    ... on BadUserInputError {\n      fieldErrors {\n        field\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment MutationFailureFields on Error {\n    message\n    code\n    ... on ConflictError {\n      suggestedVersion\n    }\n    ... on BadUserInputError {\n      fieldErrors {\n        field\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadAdapter($files: [File!]!, $input: UploadAdapterInput!) {\n    uploadAdapter(files: $files, input: $input) {\n      __typename\n      ... on UploadAdapterSuccess {\n        adapter {\n          id\n          name\n          version\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation UploadAdapter($files: [File!]!, $input: UploadAdapterInput!) {\n    uploadAdapter(files: $files, input: $input) {\n      __typename\n      ... on UploadAdapterSuccess {\n        adapter {\n          id\n          name\n          version\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterAdapter($input: RegisterAdapterInput!) {\n    registerAdapter(input: $input) {\n      __typename\n      ... on RegisterAdapterSuccess {\n        adapter {\n          id\n          name\n          version\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation RegisterAdapter($input: RegisterAdapterInput!) {\n    registerAdapter(input: $input) {\n      __typename\n      ... on RegisterAdapterSuccess {\n        adapter {\n          id\n          name\n          version\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ActivateAdapter($id: ID!) {\n    activateAdapter(id: $id) {\n      __typename\n      ... on ActivateAdapterSuccess {\n        adapter {\n          id\n          active\n          ordinal\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation ActivateAdapter($id: ID!) {\n    activateAdapter(id: $id) {\n      __typename\n      ... on ActivateAdapterSuccess {\n        adapter {\n          id\n          active\n          ordinal\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeactivateAdapter($id: ID!) {\n    deactivateAdapter(id: $id) {\n      __typename\n      ... on DeactivateAdapterSuccess {\n        adapter {\n          id\n          active\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation DeactivateAdapter($id: ID!) {\n    deactivateAdapter(id: $id) {\n      __typename\n      ... on DeactivateAdapterSuccess {\n        adapter {\n          id\n          active\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AdapterActivity {\n    activity {\n      id\n      type\n      subjectType\n      subjectId\n    }\n  }\n"): (typeof documents)["\n  subscription AdapterActivity {\n    activity {\n      id\n      type\n      subjectType\n      subjectId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAdapter($id: ID!) {\n    deleteAdapter(id: $id) {\n      __typename\n      ... on DeleteAdapterSuccess {\n        adapter {\n          id\n          active\n          deletedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteAdapter($id: ID!) {\n    deleteAdapter(id: $id) {\n      __typename\n      ... on DeleteAdapterSuccess {\n        adapter {\n          id\n          active\n          deletedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdapterDetail on Adapter {\n    id\n    name\n    version\n    description\n    format\n    source\n    active\n    weight\n    rank\n    alpha\n    useRslora\n    scale\n    effectiveScale\n    targetModules\n    tensorCount\n    sizeBytes\n    sha256\n    autoV2\n    originalFilename\n    baseModelNameInFile\n    tags\n    trainedWords\n    triggers\n    activationText\n    trainingConfig\n    civitai\n    warnings\n    usageCount\n    averageRating\n    ratingCount\n    createdAt\n    updatedAt\n    deletedAt\n    baseModel {\n      ...BaseModelSummary\n    }\n    compatibility(baseModelId: $current) @include(if: $withCompatibility) {\n      compatible\n      reason\n    }\n    files {\n      name\n      role\n      sizeBytes\n      sha256\n    }\n  }\n"): (typeof documents)["\n  fragment AdapterDetail on Adapter {\n    id\n    name\n    version\n    description\n    format\n    source\n    active\n    weight\n    rank\n    alpha\n    useRslora\n    scale\n    effectiveScale\n    targetModules\n    tensorCount\n    sizeBytes\n    sha256\n    autoV2\n    originalFilename\n    baseModelNameInFile\n    tags\n    trainedWords\n    triggers\n    activationText\n    trainingConfig\n    civitai\n    warnings\n    usageCount\n    averageRating\n    ratingCount\n    createdAt\n    updatedAt\n    deletedAt\n    baseModel {\n      ...BaseModelSummary\n    }\n    compatibility(baseModelId: $current) @include(if: $withCompatibility) {\n      compatible\n      reason\n    }\n    files {\n      name\n      role\n      sizeBytes\n      sha256\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdapterDetail($id: ID!, $current: ID!, $withCompatibility: Boolean!) {\n    adapter(id: $id) {\n      ...AdapterDetail\n    }\n  }\n"): (typeof documents)["\n  query AdapterDetail($id: ID!, $current: ID!, $withCompatibility: Boolean!) {\n    adapter(id: $id) {\n      ...AdapterDetail\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdapterListItem on Adapter {\n    id\n    name\n    version\n    active\n    format\n    tags\n    createdAt\n    baseModel {\n      id\n      displayName\n    }\n    compatibility(baseModelId: $current) @include(if: $withCompatibility) {\n      compatible\n      reason\n    }\n  }\n"): (typeof documents)["\n  fragment AdapterListItem on Adapter {\n    id\n    name\n    version\n    active\n    format\n    tags\n    createdAt\n    baseModel {\n      id\n      displayName\n    }\n    compatibility(baseModelId: $current) @include(if: $withCompatibility) {\n      compatible\n      reason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdapterList(\n    $filter: AdapterFilter\n    $orderBy: AdapterOrder\n    $first: Int!\n    $after: String\n    $current: ID!\n    $withCompatibility: Boolean!\n  ) {\n    adapters(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AdapterListItem\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdapterList(\n    $filter: AdapterFilter\n    $orderBy: AdapterOrder\n    $first: Int!\n    $after: String\n    $current: ID!\n    $withCompatibility: Boolean!\n  ) {\n    adapters(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AdapterListItem\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdapterGroups($filter: AdapterFilter, $current: ID!, $withCompatibility: Boolean!) {\n    adapterGroups(filter: $filter) {\n      name\n      count\n      latest {\n        id\n        version\n        createdAt\n      }\n      versions {\n        ...AdapterListItem\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdapterGroups($filter: AdapterFilter, $current: ID!, $withCompatibility: Boolean!) {\n    adapterGroups(filter: $filter) {\n      name\n      count\n      latest {\n        id\n        version\n        createdAt\n      }\n      versions {\n        ...AdapterListItem\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameAdapter($id: ID!, $name: String!) {\n    renameAdapter(id: $id, name: $name) {\n      __typename\n      ... on RenameAdapterSuccess {\n        adapter {\n          id\n          name\n          updatedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation RenameAdapter($id: ID!, $name: String!) {\n    renameAdapter(id: $id, name: $name) {\n      __typename\n      ... on RenameAdapterSuccess {\n        adapter {\n          id\n          name\n          updatedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BaseModelSummary on BaseModel {\n    id\n    displayName\n    modality\n    family\n    version\n    discovered\n    capabilities {\n      maxDurationSeconds\n      sampleRate\n      resolution\n      maxTokens\n    }\n  }\n"): (typeof documents)["\n  fragment BaseModelSummary on BaseModel {\n    id\n    displayName\n    modality\n    family\n    version\n    discovered\n    capabilities {\n      maxDurationSeconds\n      sampleRate\n      resolution\n      maxTokens\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BaseModels {\n    baseModels {\n      ...BaseModelSummary\n    }\n  }\n"): (typeof documents)["\n  query BaseModels {\n    baseModels {\n      ...BaseModelSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TrainingParameterSummary on TrainingParameter {\n    key\n    category\n    label\n    description\n    unit\n    valueType\n  }\n"): (typeof documents)["\n  fragment TrainingParameterSummary on TrainingParameter {\n    key\n    category\n    label\n    description\n    unit\n    valueType\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TrainingParameters {\n    trainingConfigSchema {\n      ...TrainingParameterSummary\n    }\n  }\n"): (typeof documents)["\n  query TrainingParameters {\n    trainingConfigSchema {\n      ...TrainingParameterSummary\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;