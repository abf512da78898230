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
    "\n  mutation ImportDataset($files: [File!]!, $input: ImportDatasetInput!) {\n    importDataset(files: $files, input: $input) {\n      __typename\n      ... on ImportDatasetSuccess {\n        dataset {\n          id\n          name\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.ImportDatasetDocument,
    "\n  fragment MutationFailureFields on Error {\n    message\n    code\n    ... on ConflictError {\n      suggestedVersion\n    }\n    ... on BadUserInputError {\n      fieldErrors {\n        field\n        message\n      }\n    }\n  }\n": typeof types.MutationFailureFieldsFragmentDoc,
    "\n  mutation UploadAdapter($files: [File!]!, $input: UploadAdapterInput!) {\n    uploadAdapter(files: $files, input: $input) {\n      __typename\n      ... on UploadAdapterSuccess {\n        adapter {\n          id\n          name\n          version\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.UploadAdapterDocument,
    "\n  mutation RegisterAdapter($input: RegisterAdapterInput!) {\n    registerAdapter(input: $input) {\n      __typename\n      ... on RegisterAdapterSuccess {\n        adapter {\n          id\n          name\n          version\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.RegisterAdapterDocument,
    "\n  fragment RunMetricSeries on Run {\n    id\n    metricNames\n    metrics(names: $names, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {\n      name\n      totalPoints\n      downsampled\n      points {\n        step\n        value\n        time\n      }\n    }\n  }\n": typeof types.RunMetricSeriesFragmentDoc,
    "\n  query RunMetrics($id: ID!, $names: [String!], $fromStep: Int, $toStep: Int, $maxPoints: Int!) {\n    run(id: $id) {\n      ...RunMetricSeries\n    }\n  }\n": typeof types.RunMetricsDocument,
    "\n  query RunsMetrics($ids: [ID!]!, $names: [String!], $fromStep: Int, $toStep: Int, $maxPoints: Int!) {\n    runs(ids: $ids) {\n      ...RunMetricSeries\n    }\n  }\n": typeof types.RunsMetricsDocument,
    "\n  fragment AbTestView on AbTest {\n    id\n    name\n    status\n    error\n    progress {\n      judged\n      total\n      jobsDone\n      jobsTotal\n      generation\n    }\n    result {\n      wins\n      losses\n      ties\n      judged\n      decisive\n      winRate\n      interval {\n        lower\n        upper\n      }\n      pValue\n      significant\n      verdict\n    }\n  }\n": typeof types.AbTestViewFragmentDoc,
    "\n  query AbTest($id: ID!) {\n    abTest(id: $id) {\n      ...AbTestView\n    }\n  }\n": typeof types.AbTestDocument,
    "\n  query NextAbTrial($testId: ID!) {\n    nextAbTrial(testId: $testId) {\n      trialId\n      prompt\n      index\n      total\n      first {\n        side\n        audioUrl\n        durationSeconds\n      }\n      second {\n        side\n        audioUrl\n        durationSeconds\n      }\n    }\n  }\n": typeof types.NextAbTrialDocument,
    "\n  mutation RecordAbChoice($trialId: ID!, $choice: AbChoice!) {\n    recordAbChoice(trialId: $trialId, choice: $choice) {\n      __typename\n      ... on RecordAbChoiceSuccess {\n        test {\n          ...AbTestView\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.RecordAbChoiceDocument,
    "\n  mutation CompleteAbTest($id: ID!) {\n    completeAbTest(id: $id) {\n      __typename\n      ... on CompleteAbTestSuccess {\n        test {\n          ...AbTestView\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.CompleteAbTestDocument,
    "\n  fragment AbTestAdapterChoice on Adapter {\n    id\n    name\n    version\n    baseModel {\n      id\n      displayName\n    }\n  }\n": typeof types.AbTestAdapterChoiceFragmentDoc,
    "\n  query AbTestAdapters($search: String!, $first: Int!) {\n    adapters(filter: { search: $search }, orderBy: ORDINAL_ASC, first: $first) {\n      totalCount\n      edges {\n        node {\n          ...AbTestAdapterChoice\n        }\n      }\n    }\n  }\n": typeof types.AbTestAdaptersDocument,
    "\n  query AbTestAdapter($id: ID!) {\n    adapter(id: $id) {\n      ...AbTestAdapterChoice\n    }\n  }\n": typeof types.AbTestAdapterDocument,
    "\n  fragment AbTestListItem on AbTest {\n    id\n    name\n    status\n    createdAt\n    adapterA {\n      id\n      name\n      version\n    }\n    adapterB {\n      id\n      name\n      version\n    }\n    baseModel {\n      id\n      displayName\n    }\n    progress {\n      judged\n      total\n      generation\n    }\n    result {\n      verdict\n    }\n  }\n": typeof types.AbTestListItemFragmentDoc,
    "\n  query AbTestList($first: Int!, $after: String) {\n    abTests(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AbTestListItem\n        }\n      }\n    }\n  }\n": typeof types.AbTestListDocument,
    "\n  fragment ActivityFeedItem on ActivityEvent {\n    id\n    type\n    message\n    subjectType\n    subjectId\n    data\n    actor\n    createdAt\n  }\n": typeof types.ActivityFeedItemFragmentDoc,
    "\n  query RecentActivity($first: Int!) {\n    activity(first: $first) {\n      edges {\n        node {\n          ...ActivityFeedItem\n        }\n      }\n    }\n  }\n": typeof types.RecentActivityDocument,
    "\n  subscription ActivityFeed {\n    activity {\n      ...ActivityFeedItem\n    }\n  }\n": typeof types.ActivityFeedDocument,
    "\n  subscription ActivityEvents {\n    activity {\n      id\n      type\n      subjectType\n      subjectId\n    }\n  }\n": typeof types.ActivityEventsDocument,
    "\n  mutation ActivateAdapter($id: ID!) {\n    activateAdapter(id: $id) {\n      __typename\n      ... on ActivateAdapterSuccess {\n        adapter {\n          id\n          active\n          ordinal\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.ActivateAdapterDocument,
    "\n  mutation DeactivateAdapter($id: ID!) {\n    deactivateAdapter(id: $id) {\n      __typename\n      ... on DeactivateAdapterSuccess {\n        adapter {\n          id\n          active\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.DeactivateAdapterDocument,
    "\n  query CompareAdapters($ids: [ID!]!) {\n    compareAdapters(ids: $ids) {\n      __typename\n      ... on AdapterComparison {\n        summary\n        adapters {\n          ...AdapterVersionSummaryFields\n        }\n        rows {\n          metric\n          label\n          higherIsBetter\n          betterAdapterId\n          comparedWithAdapterId\n          test\n          method\n          statistic\n          pValue\n          significant\n          note\n          interval {\n            lower\n            upper\n          }\n          values {\n            adapterId\n            value\n            count\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.CompareAdaptersDocument,
    "\n  mutation DeleteAdapter($id: ID!) {\n    deleteAdapter(id: $id) {\n      __typename\n      ... on DeleteAdapterSuccess {\n        adapter {\n          id\n          active\n          deletedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.DeleteAdapterDocument,
    "\n  fragment AdapterDetail on Adapter {\n    id\n    name\n    version\n    description\n    format\n    source\n    active\n    weight\n    rank\n    alpha\n    useRslora\n    scale\n    effectiveScale\n    targetModules\n    tensorCount\n    sizeBytes\n    sha256\n    autoV2\n    originalFilename\n    baseModelNameInFile\n    tags\n    trainedWords\n    triggers\n    activationText\n    trainingConfig\n    civitai\n    warnings\n    usageCount\n    averageRating\n    ratingCount\n    createdAt\n    updatedAt\n    deletedAt\n    baseModel {\n      ...BaseModelSummary\n    }\n    compatibility(baseModelId: $current) @include(if: $withCompatibility) {\n      compatible\n      reason\n    }\n    files {\n      name\n      role\n      sizeBytes\n      sha256\n    }\n  }\n": typeof types.AdapterDetailFragmentDoc,
    "\n  query AdapterDetail($id: ID!, $current: ID!, $withCompatibility: Boolean!) {\n    adapter(id: $id) {\n      ...AdapterDetail\n    }\n  }\n": typeof types.AdapterDetailDocument,
    "\n  fragment AdapterListItem on Adapter {\n    id\n    name\n    version\n    active\n    format\n    tags\n    createdAt\n    baseModel {\n      id\n      displayName\n    }\n    compatibility(baseModelId: $current) @include(if: $withCompatibility) {\n      compatible\n      reason\n    }\n  }\n": typeof types.AdapterListItemFragmentDoc,
    "\n  query AdapterList(\n    $filter: AdapterFilter\n    $orderBy: AdapterOrder\n    $first: Int!\n    $after: String\n    $current: ID!\n    $withCompatibility: Boolean!\n  ) {\n    adapters(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AdapterListItem\n        }\n      }\n    }\n  }\n": typeof types.AdapterListDocument,
    "\n  query AdapterGroups($filter: AdapterFilter, $current: ID!, $withCompatibility: Boolean!) {\n    adapterGroups(filter: $filter) {\n      name\n      count\n      latest {\n        id\n        version\n        createdAt\n      }\n      versions {\n        ...AdapterListItem\n      }\n    }\n  }\n": typeof types.AdapterGroupsDocument,
    "\n  mutation RenameAdapter($id: ID!, $name: String!) {\n    renameAdapter(id: $id, name: $name) {\n      __typename\n      ... on RenameAdapterSuccess {\n        adapter {\n          id\n          name\n          updatedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.RenameAdapterDocument,
    "\n  fragment AdapterVersionSummaryFields on AdapterVersionSummary {\n    adapterId\n    name\n    version\n    status\n    deleted\n    createdAt\n    finalLoss\n    bestLoss\n    ratingAverage\n    ratingCount\n    winRate\n    run {\n      id\n      name\n    }\n    experiment {\n      id\n      name\n    }\n    evaluationScores {\n      name\n      source\n      value\n      count\n      higherIsBetter\n    }\n  }\n": typeof types.AdapterVersionSummaryFieldsFragmentDoc,
    "\n  query AdapterTimeline($name: String!) {\n    adapterTimeline(name: $name) {\n      ...AdapterVersionSummaryFields\n    }\n  }\n": typeof types.AdapterTimelineDocument,
    "\n  fragment ApiKeyRow on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n": typeof types.ApiKeyRowFragmentDoc,
    "\n  query ApiKeys {\n    apiKeys {\n      ...ApiKeyRow\n    }\n  }\n": typeof types.ApiKeysDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      __typename\n      ... on CreateApiKeySuccess {\n        secret\n        apiKey {\n          ...ApiKeyRow\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      __typename\n      ... on RevokeApiKeySuccess {\n        apiKey {\n          ...ApiKeyRow\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  fragment BaseModelSummary on BaseModel {\n    id\n    displayName\n    modality\n    family\n    version\n    discovered\n    trainer\n    capabilities {\n      maxDurationSeconds\n      sampleRate\n      resolution\n      maxTokens\n    }\n  }\n": typeof types.BaseModelSummaryFragmentDoc,
    "\n  query BaseModels {\n    baseModels {\n      ...BaseModelSummary\n    }\n  }\n": typeof types.BaseModelsDocument,
    "\n  fragment ComposedPromptView on ComposedPrompt {\n    prompt\n    tokens\n    loraHashes\n    warnings {\n      code\n      message\n      adapterId\n    }\n  }\n": typeof types.ComposedPromptViewFragmentDoc,
    "\n  query ComposePrompt($input: ComposePromptInput!) {\n    composePrompt(input: $input) {\n      ...ComposedPromptView\n    }\n  }\n": typeof types.ComposePromptDocument,
    "\n  fragment DashboardFeaturedAdapter on Adapter {\n    id\n    name\n    version\n    averageRating\n    ratingCount\n    usageCount\n  }\n": typeof types.DashboardFeaturedAdapterFragmentDoc,
    "\n  query Dashboard {\n    dashboard {\n      stats {\n        adaptersTotal\n        adaptersActive\n        experimentsByStatus {\n          status\n          count\n        }\n        runsRunning\n        generationsToday\n        averageRating\n        ratingCount\n      }\n      health {\n        database {\n          ok\n          kind\n          error\n        }\n        sidecars {\n          id\n          name\n          connected\n          executionProviders\n          trainers\n          concurrency\n          lastSeenAt\n        }\n        queueDepth {\n          runs\n          generations\n        }\n        workerPool {\n          threads\n          queued\n          completed\n        }\n      }\n      featuredAdapters {\n        bestRated {\n          ...DashboardFeaturedAdapter\n        }\n        mostUsed {\n          ...DashboardFeaturedAdapter\n        }\n      }\n    }\n  }\n": typeof types.DashboardDocument,
    "\n  query DatasetPreview($id: ID!) {\n    dataset(id: $id) {\n      id\n      preview {\n        id\n        position\n        prompt\n        notes\n      }\n    }\n  }\n": typeof types.DatasetPreviewDocument,
    "\n  fragment DatasetStyleOption on DatasetStyle {\n    id\n    name\n    mode\n    beatsPerBar\n    stepsPerBeat\n    examplePrompt\n  }\n": typeof types.DatasetStyleOptionFragmentDoc,
    "\n  query DatasetStyles {\n    datasetStyles {\n      ...DatasetStyleOption\n    }\n  }\n": typeof types.DatasetStylesDocument,
    "\n  fragment DatasetListItem on Dataset {\n    id\n    name\n    description\n    source\n    style\n    seed\n    itemCount\n    createdAt\n  }\n": typeof types.DatasetListItemFragmentDoc,
    "\n  query DatasetList($first: Int!) {\n    datasets(first: $first) {\n      totalCount\n      edges {\n        node {\n          ...DatasetListItem\n        }\n      }\n    }\n  }\n": typeof types.DatasetListDocument,
    "\n  mutation GenerateDataset($input: GenerateDatasetInput!) {\n    generateDataset(input: $input) {\n      __typename\n      ... on GenerateDatasetSuccess {\n        dataset {\n          ...DatasetListItem\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.GenerateDatasetDocument,
    "\n  fragment DeliveryRow on Delivery {\n    id\n    mode\n    target\n    prompt\n    status\n    attempts\n    maxAttempts\n    error\n    createdAt\n    startedAt\n    finishedAt\n    nextAttemptAt\n  }\n": typeof types.DeliveryRowFragmentDoc,
    "\n  fragment DeliveryDetail on Delivery {\n    ...DeliveryRow\n    params\n    loraTokens\n    loraHashes\n    attemptHistory {\n      attempt\n      at\n      error\n    }\n    httpStatus\n    responseBody\n    exitCode\n    stdout\n    stderr\n    images {\n      index\n      url\n      width\n      height\n      sizeBytes\n    }\n  }\n": typeof types.DeliveryDetailFragmentDoc,
    "\n  query DeliveryList($status: DeliveryStatus, $first: Int!, $after: String) {\n    deliveries(status: $status, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...DeliveryRow\n        }\n      }\n    }\n  }\n": typeof types.DeliveryListDocument,
    "\n  query Delivery($id: ID!) {\n    delivery(id: $id) {\n      ...DeliveryDetail\n    }\n  }\n": typeof types.DeliveryDocument,
    "\n  subscription DeliveryStatus($id: ID!) {\n    deliveryStatus(id: $id) {\n      ...DeliveryDetail\n    }\n  }\n": typeof types.DeliveryStatusDocument,
    "\n  subscription DeliveryUpdates {\n    deliveryUpdates {\n      id\n    }\n  }\n": typeof types.DeliveryUpdatesDocument,
    "\n  query DeliveryTargets {\n    deliveryAllowedHosts\n    deliveryCommandTemplates {\n      name\n      timeoutSeconds\n    }\n  }\n": typeof types.DeliveryTargetsDocument,
    "\n  mutation CreateDelivery($input: CreateDeliveryInput!) {\n    createDelivery(input: $input) {\n      __typename\n      ... on CreateDeliverySuccess {\n        delivery {\n          ...DeliveryRow\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.CreateDeliveryDocument,
    "\n  mutation ArchiveExperiment($id: ID!) {\n    archiveExperiment(id: $id) {\n      __typename\n      ... on ArchiveExperimentSuccess {\n        experiment {\n          id\n          status\n          updatedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.ArchiveExperimentDocument,
    "\n  mutation UnarchiveExperiment($id: ID!) {\n    unarchiveExperiment(id: $id) {\n      __typename\n      ... on UnarchiveExperimentSuccess {\n        experiment {\n          id\n          status\n          updatedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.UnarchiveExperimentDocument,
    "\n  mutation UpdateExperiment($id: ID!, $input: UpdateExperimentInput!) {\n    updateExperiment(id: $id, input: $input) {\n      __typename\n      ... on UpdateExperimentSuccess {\n        experiment {\n          id\n          config\n          updatedAt\n          dataset {\n            id\n            name\n            itemCount\n          }\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.UpdateExperimentDocument,
    "\n  fragment RunRow on Run {\n    id\n    name\n    status\n    createdAt\n    startedAt\n    finishedAt\n    finalLoss\n    isBest\n    error\n    cancelRequested\n    configOverride\n    effectiveConfig\n    lastSeq\n    logUrl\n    adapter {\n      id\n      name\n      version\n    }\n  }\n": typeof types.RunRowFragmentDoc,
    "\n  fragment ExperimentDetail on Experiment {\n    ...ExperimentSummary\n    description\n    config\n    trainer\n    lastError\n    dataset {\n      id\n      name\n      itemCount\n    }\n    bestRun {\n      id\n      name\n      finalLoss\n    }\n    runs(first: $runLimit) {\n      totalCount\n      edges {\n        node {\n          ...RunRow\n        }\n      }\n    }\n  }\n": typeof types.ExperimentDetailFragmentDoc,
    "\n  query ExperimentDetail($id: ID!, $runLimit: Int!) {\n    experiment(id: $id) {\n      ...ExperimentDetail\n    }\n  }\n": typeof types.ExperimentDetailDocument,
    "\n  fragment ExperimentSummary on Experiment {\n    id\n    name\n    status\n    bestLoss\n    createdAt\n    updatedAt\n    baseModel {\n      id\n      displayName\n    }\n  }\n": typeof types.ExperimentSummaryFragmentDoc,
    "\n  fragment ExperimentListItem on Experiment {\n    ...ExperimentSummary\n    dataset {\n      id\n      name\n    }\n    runCount\n  }\n": typeof types.ExperimentListItemFragmentDoc,
    "\n  query ExperimentList($includeArchived: Boolean!, $first: Int!, $after: String) {\n    experiments(includeArchived: $includeArchived, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ExperimentListItem\n        }\n      }\n    }\n  }\n": typeof types.ExperimentListDocument,
    "\n  fragment SelectableAdapter on Adapter {\n    id\n    name\n    version\n    weight\n    loadable\n    baseModel {\n      id\n      displayName\n    }\n  }\n": typeof types.SelectableAdapterFragmentDoc,
    "\n  query GenerationModel($current: ID!) {\n    baseModel(id: $current) {\n      id\n      displayName\n      builtin\n      capabilities {\n        maxDurationSeconds\n      }\n    }\n  }\n": typeof types.GenerationModelDocument,
    "\n  query GenerationAdapters($current: ID!, $search: String!, $first: Int!) {\n    fitting: adapters(filter: { active: true, compatibleWith: $current }, first: 0) {\n      totalCount\n    }\n    active: adapters(filter: { active: true }, first: 0) {\n      totalCount\n    }\n    compatible: adapters(filter: { active: true, compatibleWith: $current, search: $search }, orderBy: ORDINAL_ASC, first: $first) {\n      totalCount\n      edges {\n        node {\n          ...SelectableAdapter\n        }\n      }\n    }\n    all: adapters(filter: { active: true, search: $search }, orderBy: ORDINAL_ASC, first: $first) {\n      edges {\n        node {\n          ...SelectableAdapter\n        }\n      }\n    }\n  }\n": typeof types.GenerationAdaptersDocument,
    "\n  query AdapterFit($id: ID!, $model: ID!) {\n    adapter(id: $id) {\n      id\n      active\n      loadable\n      compatibility(baseModelId: $model) {\n        compatible\n      }\n    }\n  }\n": typeof types.AdapterFitDocument,
    "\n  fragment SampleView on Sample {\n    id\n    index\n    durationSeconds\n    lengthSteps\n    meter {\n      beatsPerBar\n      stepsPerBeat\n    }\n    notes {\n      pitch\n      start\n      duration\n    }\n    audio {\n      url\n      sizeBytes\n    }\n    midi {\n      url\n      sizeBytes\n    }\n    scores {\n      referenceKind\n      referenceName\n      noteCount\n      rhythmDensity\n      score\n      pitchClassDistance\n      inScaleRatio\n    }\n    averageRating\n    ratingCount\n  }\n": typeof types.SampleViewFragmentDoc,
    "\n  fragment GenerationJobAdapterView on GenerationJobAdapter {\n    position\n    weight\n    deleted\n    adapter {\n      id\n      name\n      version\n    }\n  }\n": typeof types.GenerationJobAdapterViewFragmentDoc,
    "\n  fragment GenerationJobView on GenerationJob {\n    id\n    status\n    progress\n    error\n    prompt\n    seed\n    durationSeconds\n    sampleCount\n    temperature\n    topK\n    loraHashes\n    createdAt\n    startedAt\n    finishedAt\n    baseModel {\n      id\n      displayName\n    }\n    adapters {\n      ...GenerationJobAdapterView\n    }\n    samples {\n      ...SampleView\n    }\n  }\n": typeof types.GenerationJobViewFragmentDoc,
    "\n  mutation CreateGenerationJob($input: CreateGenerationJobInput!) {\n    createGenerationJob(input: $input) {\n      __typename\n      ... on CreateGenerationJobSuccess {\n        job {\n          ...GenerationJobView\n        }\n      }\n      ... on AdapterDeletedError {\n        adapterId\n      }\n      ... on IncompatibleAdapterError {\n        adapterId\n        compatibleAdapters {\n          ...SelectableAdapter\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.CreateGenerationJobDocument,
    "\n  subscription GenerationProgress($jobId: ID!) {\n    generationProgress(jobId: $jobId) {\n      ...GenerationJobView\n    }\n  }\n": typeof types.GenerationProgressDocument,
    "\n  fragment GenerationJobRow on GenerationJob {\n    id\n    status\n    progress\n    prompt\n    sampleCount\n    error\n    createdAt\n    startedAt\n    finishedAt\n    baseModel {\n      id\n      displayName\n    }\n    adapters {\n      ...GenerationJobAdapterView\n    }\n    samples {\n      id\n    }\n  }\n": typeof types.GenerationJobRowFragmentDoc,
    "\n  query GenerationJobList($filter: GenerationJobFilter, $first: Int!, $after: String) {\n    generationJobs(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...GenerationJobRow\n        }\n      }\n    }\n  }\n": typeof types.GenerationJobListDocument,
    "\n  query GenerationJob($id: ID!) {\n    generationJob(id: $id) {\n      ...GenerationJobView\n    }\n  }\n": typeof types.GenerationJobDocument,
    "\n  subscription GenerationJobUpdates($abTestId: ID) {\n    generationJobUpdates(abTestId: $abTestId) {\n      id\n    }\n  }\n": typeof types.GenerationJobUpdatesDocument,
    "\n  mutation CreateAbTest($input: CreateAbTestInput!) {\n    createAbTest(input: $input) {\n      __typename\n      ... on CreateAbTestSuccess {\n        test {\n          id\n          name\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.CreateAbTestDocument,
    "\n  mutation CreateExperiment($input: CreateExperimentInput!) {\n    createExperiment(input: $input) {\n      __typename\n      ... on CreateExperimentSuccess {\n        experiment {\n          id\n          name\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.CreateExperimentDocument,
    "\n  mutation StartRun($experimentId: ID!, $input: StartRunInput) {\n    startRun(experimentId: $experimentId, input: $input) {\n      __typename\n      ... on StartRunSuccess {\n        run {\n          id\n          name\n          status\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.StartRunDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      __typename\n      ... on CancelRunSuccess {\n        run {\n          id\n          status\n          cancelRequested\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.CancelRunDocument,
    "\n  mutation DeleteRuns($experimentId: ID!, $runIds: [ID!]!) {\n    deleteRuns(experimentId: $experimentId, runIds: $runIds) {\n      __typename\n      ... on DeleteRunsSuccess {\n        deletedRunIds\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.DeleteRunsDocument,
    "\n  query RunLogPage($id: ID!, $afterSeq: Int!, $first: Int!) {\n    run(id: $id) {\n      id\n      logs(afterSeq: $afterSeq, first: $first) {\n        seq\n        data\n      }\n    }\n  }\n": typeof types.RunLogPageDocument,
    "\n  subscription RunLogStream($runId: ID!, $afterSeq: Int!) {\n    runLogs(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      data\n    }\n  }\n": typeof types.RunLogStreamDocument,
    "\n  subscription RunMetricStream($runId: ID!, $afterStep: Int!) {\n    runMetrics(runId: $runId, afterStep: $afterStep) {\n      name\n      step\n      value\n      time\n    }\n  }\n": typeof types.RunMetricStreamDocument,
    "\n  subscription RunStatusUpdates($runId: ID!) {\n    runStatus(runId: $runId) {\n      ...RunRow\n    }\n  }\n": typeof types.RunStatusUpdatesDocument,
    "\n  mutation RateSample($sampleId: ID!, $score: Int!) {\n    rateSample(sampleId: $sampleId, score: $score) {\n      __typename\n      ... on RateSampleSuccess {\n        rating {\n          id\n          score\n        }\n        sample {\n          id\n          averageRating\n          ratingCount\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": typeof types.RateSampleDocument,
    "\n  fragment ViewerFields on Viewer {\n    authMode\n    authenticated\n    name\n    keyId\n    scopes\n  }\n": typeof types.ViewerFieldsFragmentDoc,
    "\n  query Viewer {\n    viewer {\n      ...ViewerFields\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  query SimilarAdapters($adapterId: ID!) {\n    similarAdapters(adapterId: $adapterId) {\n      explanation\n      sharedTags\n      sharedWords\n      sharedModules\n      score {\n        text\n        weightSpace\n        combined\n      }\n      adapter {\n        id\n        name\n        version\n        format\n      }\n    }\n  }\n": typeof types.SimilarAdaptersDocument,
    "\n  fragment TrainingParameterSummary on TrainingParameter {\n    key\n    category\n    label\n    description\n    unit\n    valueType\n  }\n": typeof types.TrainingParameterSummaryFragmentDoc,
    "\n  fragment TrainingParameterField on TrainingParameter {\n    ...TrainingParameterSummary\n    default\n    min\n    max\n    setByExperiment\n    usedByBuiltinTrainer\n  }\n": typeof types.TrainingParameterFieldFragmentDoc,
    "\n  query TrainingParameters {\n    trainingConfigSchema {\n      ...TrainingParameterField\n    }\n  }\n": typeof types.TrainingParametersDocument,
};
const documents: Documents = {
    "\n  mutation ImportDataset($files: [File!]!, $input: ImportDatasetInput!) {\n    importDataset(files: $files, input: $input) {\n      __typename\n      ... on ImportDatasetSuccess {\n        dataset {\n          id\n          name\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.ImportDatasetDocument,
    "\n  fragment MutationFailureFields on Error {\n    message\n    code\n    ... on ConflictError {\n      suggestedVersion\n    }\n    ... on BadUserInputError {\n      fieldErrors {\n        field\n        message\n      }\n    }\n  }\n": types.MutationFailureFieldsFragmentDoc,
    "\n  mutation UploadAdapter($files: [File!]!, $input: UploadAdapterInput!) {\n    uploadAdapter(files: $files, input: $input) {\n      __typename\n      ... on UploadAdapterSuccess {\n        adapter {\n          id\n          name\n          version\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.UploadAdapterDocument,
    "\n  mutation RegisterAdapter($input: RegisterAdapterInput!) {\n    registerAdapter(input: $input) {\n      __typename\n      ... on RegisterAdapterSuccess {\n        adapter {\n          id\n          name\n          version\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.RegisterAdapterDocument,
    "\n  fragment RunMetricSeries on Run {\n    id\n    metricNames\n    metrics(names: $names, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {\n      name\n      totalPoints\n      downsampled\n      points {\n        step\n        value\n        time\n      }\n    }\n  }\n": types.RunMetricSeriesFragmentDoc,
    "\n  query RunMetrics($id: ID!, $names: [String!], $fromStep: Int, $toStep: Int, $maxPoints: Int!) {\n    run(id: $id) {\n      ...RunMetricSeries\n    }\n  }\n": types.RunMetricsDocument,
    "\n  query RunsMetrics($ids: [ID!]!, $names: [String!], $fromStep: Int, $toStep: Int, $maxPoints: Int!) {\n    runs(ids: $ids) {\n      ...RunMetricSeries\n    }\n  }\n": types.RunsMetricsDocument,
    "\n  fragment AbTestView on AbTest {\n    id\n    name\n    status\n    error\n    progress {\n      judged\n      total\n      jobsDone\n      jobsTotal\n      generation\n    }\n    result {\n      wins\n      losses\n      ties\n      judged\n      decisive\n      winRate\n      interval {\n        lower\n        upper\n      }\n      pValue\n      significant\n      verdict\n    }\n  }\n": types.AbTestViewFragmentDoc,
    "\n  query AbTest($id: ID!) {\n    abTest(id: $id) {\n      ...AbTestView\n    }\n  }\n": types.AbTestDocument,
    "\n  query NextAbTrial($testId: ID!) {\n    nextAbTrial(testId: $testId) {\n      trialId\n      prompt\n      index\n      total\n      first {\n        side\n        audioUrl\n        durationSeconds\n      }\n      second {\n        side\n        audioUrl\n        durationSeconds\n      }\n    }\n  }\n": types.NextAbTrialDocument,
    "\n  mutation RecordAbChoice($trialId: ID!, $choice: AbChoice!) {\n    recordAbChoice(trialId: $trialId, choice: $choice) {\n      __typename\n      ... on RecordAbChoiceSuccess {\n        test {\n          ...AbTestView\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.RecordAbChoiceDocument,
    "\n  mutation CompleteAbTest($id: ID!) {\n    completeAbTest(id: $id) {\n      __typename\n      ... on CompleteAbTestSuccess {\n        test {\n          ...AbTestView\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.CompleteAbTestDocument,
    "\n  fragment AbTestAdapterChoice on Adapter {\n    id\n    name\n    version\n    baseModel {\n      id\n      displayName\n    }\n  }\n": types.AbTestAdapterChoiceFragmentDoc,
    "\n  query AbTestAdapters($search: String!, $first: Int!) {\n    adapters(filter: { search: $search }, orderBy: ORDINAL_ASC, first: $first) {\n      totalCount\n      edges {\n        node {\n          ...AbTestAdapterChoice\n        }\n      }\n    }\n  }\n": types.AbTestAdaptersDocument,
    "\n  query AbTestAdapter($id: ID!) {\n    adapter(id: $id) {\n      ...AbTestAdapterChoice\n    }\n  }\n": types.AbTestAdapterDocument,
    "\n  fragment AbTestListItem on AbTest {\n    id\n    name\n    status\n    createdAt\n    adapterA {\n      id\n      name\n      version\n    }\n    adapterB {\n      id\n      name\n      version\n    }\n    baseModel {\n      id\n      displayName\n    }\n    progress {\n      judged\n      total\n      generation\n    }\n    result {\n      verdict\n    }\n  }\n": types.AbTestListItemFragmentDoc,
    "\n  query AbTestList($first: Int!, $after: String) {\n    abTests(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AbTestListItem\n        }\n      }\n    }\n  }\n": types.AbTestListDocument,
    "\n  fragment ActivityFeedItem on ActivityEvent {\n    id\n    type\n    message\n    subjectType\n    subjectId\n    data\n    actor\n    createdAt\n  }\n": types.ActivityFeedItemFragmentDoc,
    "\n  query RecentActivity($first: Int!) {\n    activity(first: $first) {\n      edges {\n        node {\n          ...ActivityFeedItem\n        }\n      }\n    }\n  }\n": types.RecentActivityDocument,
    "\n  subscription ActivityFeed {\n    activity {\n      ...ActivityFeedItem\n    }\n  }\n": types.ActivityFeedDocument,
    "\n  subscription ActivityEvents {\n    activity {\n      id\n      type\n      subjectType\n      subjectId\n    }\n  }\n": types.ActivityEventsDocument,
    "\n  mutation ActivateAdapter($id: ID!) {\n    activateAdapter(id: $id) {\n      __typename\n      ... on ActivateAdapterSuccess {\n        adapter {\n          id\n          active\n          ordinal\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.ActivateAdapterDocument,
    "\n  mutation DeactivateAdapter($id: ID!) {\n    deactivateAdapter(id: $id) {\n      __typename\n      ... on DeactivateAdapterSuccess {\n        adapter {\n          id\n          active\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.DeactivateAdapterDocument,
    "\n  query CompareAdapters($ids: [ID!]!) {\n    compareAdapters(ids: $ids) {\n      __typename\n      ... on AdapterComparison {\n        summary\n        adapters {\n          ...AdapterVersionSummaryFields\n        }\n        rows {\n          metric\n          label\n          higherIsBetter\n          betterAdapterId\n          comparedWithAdapterId\n          test\n          method\n          statistic\n          pValue\n          significant\n          note\n          interval {\n            lower\n            upper\n          }\n          values {\n            adapterId\n            value\n            count\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.CompareAdaptersDocument,
    "\n  mutation DeleteAdapter($id: ID!) {\n    deleteAdapter(id: $id) {\n      __typename\n      ... on DeleteAdapterSuccess {\n        adapter {\n          id\n          active\n          deletedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.DeleteAdapterDocument,
    "\n  fragment AdapterDetail on Adapter {\n    id\n    name\n    version\n    description\n    format\n    source\n    active\n    weight\n    rank\n    alpha\n    useRslora\n    scale\n    effectiveScale\n    targetModules\n    tensorCount\n    sizeBytes\n    sha256\n    autoV2\n    originalFilename\n    baseModelNameInFile\n    tags\n    trainedWords\n    triggers\n    activationText\n    trainingConfig\n    civitai\n    warnings\n    usageCount\n    averageRating\n    ratingCount\n    createdAt\n    updatedAt\n    deletedAt\n    baseModel {\n      ...BaseModelSummary\n    }\n    compatibility(baseModelId: $current) @include(if: $withCompatibility) {\n      compatible\n      reason\n    }\n    files {\n      name\n      role\n      sizeBytes\n      sha256\n    }\n  }\n": types.AdapterDetailFragmentDoc,
    "\n  query AdapterDetail($id: ID!, $current: ID!, $withCompatibility: Boolean!) {\n    adapter(id: $id) {\n      ...AdapterDetail\n    }\n  }\n": types.AdapterDetailDocument,
    "\n  fragment AdapterListItem on Adapter {\n    id\n    name\n    version\n    active\n    format\n    tags\n    createdAt\n    baseModel {\n      id\n      displayName\n    }\n    compatibility(baseModelId: $current) @include(if: $withCompatibility) {\n      compatible\n      reason\n    }\n  }\n": types.AdapterListItemFragmentDoc,
    "\n  query AdapterList(\n    $filter: AdapterFilter\n    $orderBy: AdapterOrder\n    $first: Int!\n    $after: String\n    $current: ID!\n    $withCompatibility: Boolean!\n  ) {\n    adapters(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AdapterListItem\n        }\n      }\n    }\n  }\n": types.AdapterListDocument,
    "\n  query AdapterGroups($filter: AdapterFilter, $current: ID!, $withCompatibility: Boolean!) {\n    adapterGroups(filter: $filter) {\n      name\n      count\n      latest {\n        id\n        version\n        createdAt\n      }\n      versions {\n        ...AdapterListItem\n      }\n    }\n  }\n": types.AdapterGroupsDocument,
    "\n  mutation RenameAdapter($id: ID!, $name: String!) {\n    renameAdapter(id: $id, name: $name) {\n      __typename\n      ... on RenameAdapterSuccess {\n        adapter {\n          id\n          name\n          updatedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.RenameAdapterDocument,
    "\n  fragment AdapterVersionSummaryFields on AdapterVersionSummary {\n    adapterId\n    name\n    version\n    status\n    deleted\n    createdAt\n    finalLoss\n    bestLoss\n    ratingAverage\n    ratingCount\n    winRate\n    run {\n      id\n      name\n    }\n    experiment {\n      id\n      name\n    }\n    evaluationScores {\n      name\n      source\n      value\n      count\n      higherIsBetter\n    }\n  }\n": types.AdapterVersionSummaryFieldsFragmentDoc,
    "\n  query AdapterTimeline($name: String!) {\n    adapterTimeline(name: $name) {\n      ...AdapterVersionSummaryFields\n    }\n  }\n": types.AdapterTimelineDocument,
    "\n  fragment ApiKeyRow on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n": types.ApiKeyRowFragmentDoc,
    "\n  query ApiKeys {\n    apiKeys {\n      ...ApiKeyRow\n    }\n  }\n": types.ApiKeysDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      __typename\n      ... on CreateApiKeySuccess {\n        secret\n        apiKey {\n          ...ApiKeyRow\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      __typename\n      ... on RevokeApiKeySuccess {\n        apiKey {\n          ...ApiKeyRow\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.RevokeApiKeyDocument,
    "\n  fragment BaseModelSummary on BaseModel {\n    id\n    displayName\n    modality\n    family\n    version\n    discovered\n    trainer\n    capabilities {\n      maxDurationSeconds\n      sampleRate\n      resolution\n      maxTokens\n    }\n  }\n": types.BaseModelSummaryFragmentDoc,
    "\n  query BaseModels {\n    baseModels {\n      ...BaseModelSummary\n    }\n  }\n": types.BaseModelsDocument,
    "\n  fragment ComposedPromptView on ComposedPrompt {\n    prompt\n    tokens\n    loraHashes\n    warnings {\n      code\n      message\n      adapterId\n    }\n  }\n": types.ComposedPromptViewFragmentDoc,
    "\n  query ComposePrompt($input: ComposePromptInput!) {\n    composePrompt(input: $input) {\n      ...ComposedPromptView\n    }\n  }\n": types.ComposePromptDocument,
    "\n  fragment DashboardFeaturedAdapter on Adapter {\n    id\n    name\n    version\n    averageRating\n    ratingCount\n    usageCount\n  }\n": types.DashboardFeaturedAdapterFragmentDoc,
    "\n  query Dashboard {\n    dashboard {\n      stats {\n        adaptersTotal\n        adaptersActive\n        experimentsByStatus {\n          status\n          count\n        }\n        runsRunning\n        generationsToday\n        averageRating\n        ratingCount\n      }\n      health {\n        database {\n          ok\n          kind\n          error\n        }\n        sidecars {\n          id\n          name\n          connected\n          executionProviders\n          trainers\n          concurrency\n          lastSeenAt\n        }\n        queueDepth {\n          runs\n          generations\n        }\n        workerPool {\n          threads\n          queued\n          completed\n        }\n      }\n      featuredAdapters {\n        bestRated {\n          ...DashboardFeaturedAdapter\n        }\n        mostUsed {\n          ...DashboardFeaturedAdapter\n        }\n      }\n    }\n  }\n": types.DashboardDocument,
    "\n  query DatasetPreview($id: ID!) {\n    dataset(id: $id) {\n      id\n      preview {\n        id\n        position\n        prompt\n        notes\n      }\n    }\n  }\n": types.DatasetPreviewDocument,
    "\n  fragment DatasetStyleOption on DatasetStyle {\n    id\n    name\n    mode\n    beatsPerBar\n    stepsPerBeat\n    examplePrompt\n  }\n": types.DatasetStyleOptionFragmentDoc,
    "\n  query DatasetStyles {\n    datasetStyles {\n      ...DatasetStyleOption\n    }\n  }\n": types.DatasetStylesDocument,
    "\n  fragment DatasetListItem on Dataset {\n    id\n    name\n    description\n    source\n    style\n    seed\n    itemCount\n    createdAt\n  }\n": types.DatasetListItemFragmentDoc,
    "\n  query DatasetList($first: Int!) {\n    datasets(first: $first) {\n      totalCount\n      edges {\n        node {\n          ...DatasetListItem\n        }\n      }\n    }\n  }\n": types.DatasetListDocument,
    "\n  mutation GenerateDataset($input: GenerateDatasetInput!) {\n    generateDataset(input: $input) {\n      __typename\n      ... on GenerateDatasetSuccess {\n        dataset {\n          ...DatasetListItem\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.GenerateDatasetDocument,
    "\n  fragment DeliveryRow on Delivery {\n    id\n    mode\n    target\n    prompt\n    status\n    attempts\n    maxAttempts\n    error\n    createdAt\n    startedAt\n    finishedAt\n    nextAttemptAt\n  }\n": types.DeliveryRowFragmentDoc,
    "\n  fragment DeliveryDetail on Delivery {\n    ...DeliveryRow\n    params\n    loraTokens\n    loraHashes\n    attemptHistory {\n      attempt\n      at\n      error\n    }\n    httpStatus\n    responseBody\n    exitCode\n    stdout\n    stderr\n    images {\n      index\n      url\n      width\n      height\n      sizeBytes\n    }\n  }\n": types.DeliveryDetailFragmentDoc,
    "\n  query DeliveryList($status: DeliveryStatus, $first: Int!, $after: String) {\n    deliveries(status: $status, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...DeliveryRow\n        }\n      }\n    }\n  }\n": types.DeliveryListDocument,
    "\n  query Delivery($id: ID!) {\n    delivery(id: $id) {\n      ...DeliveryDetail\n    }\n  }\n": types.DeliveryDocument,
    "\n  subscription DeliveryStatus($id: ID!) {\n    deliveryStatus(id: $id) {\n      ...DeliveryDetail\n    }\n  }\n": types.DeliveryStatusDocument,
    "\n  subscription DeliveryUpdates {\n    deliveryUpdates {\n      id\n    }\n  }\n": types.DeliveryUpdatesDocument,
    "\n  query DeliveryTargets {\n    deliveryAllowedHosts\n    deliveryCommandTemplates {\n      name\n      timeoutSeconds\n    }\n  }\n": types.DeliveryTargetsDocument,
    "\n  mutation CreateDelivery($input: CreateDeliveryInput!) {\n    createDelivery(input: $input) {\n      __typename\n      ... on CreateDeliverySuccess {\n        delivery {\n          ...DeliveryRow\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.CreateDeliveryDocument,
    "\n  mutation ArchiveExperiment($id: ID!) {\n    archiveExperiment(id: $id) {\n      __typename\n      ... on ArchiveExperimentSuccess {\n        experiment {\n          id\n          status\n          updatedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.ArchiveExperimentDocument,
    "\n  mutation UnarchiveExperiment($id: ID!) {\n    unarchiveExperiment(id: $id) {\n      __typename\n      ... on UnarchiveExperimentSuccess {\n        experiment {\n          id\n          status\n          updatedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.UnarchiveExperimentDocument,
    "\n  mutation UpdateExperiment($id: ID!, $input: UpdateExperimentInput!) {\n    updateExperiment(id: $id, input: $input) {\n      __typename\n      ... on UpdateExperimentSuccess {\n        experiment {\n          id\n          config\n          updatedAt\n          dataset {\n            id\n            name\n            itemCount\n          }\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.UpdateExperimentDocument,
    "\n  fragment RunRow on Run {\n    id\n    name\n    status\n    createdAt\n    startedAt\n    finishedAt\n    finalLoss\n    isBest\n    error\n    cancelRequested\n    configOverride\n    effectiveConfig\n    lastSeq\n    logUrl\n    adapter {\n      id\n      name\n      version\n    }\n  }\n": types.RunRowFragmentDoc,
    "\n  fragment ExperimentDetail on Experiment {\n    ...ExperimentSummary\n    description\n    config\n    trainer\n    lastError\n    dataset {\n      id\n      name\n      itemCount\n    }\n    bestRun {\n      id\n      name\n      finalLoss\n    }\n    runs(first: $runLimit) {\n      totalCount\n      edges {\n        node {\n          ...RunRow\n        }\n      }\n    }\n  }\n": types.ExperimentDetailFragmentDoc,
    "\n  query ExperimentDetail($id: ID!, $runLimit: Int!) {\n    experiment(id: $id) {\n      ...ExperimentDetail\n    }\n  }\n": types.ExperimentDetailDocument,
    "\n  fragment ExperimentSummary on Experiment {\n    id\n    name\n    status\n    bestLoss\n    createdAt\n    updatedAt\n    baseModel {\n      id\n      displayName\n    }\n  }\n": types.ExperimentSummaryFragmentDoc,
    "\n  fragment ExperimentListItem on Experiment {\n    ...ExperimentSummary\n    dataset {\n      id\n      name\n    }\n    runCount\n  }\n": types.ExperimentListItemFragmentDoc,
    "\n  query ExperimentList($includeArchived: Boolean!, $first: Int!, $after: String) {\n    experiments(includeArchived: $includeArchived, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ExperimentListItem\n        }\n      }\n    }\n  }\n": types.ExperimentListDocument,
    "\n  fragment SelectableAdapter on Adapter {\n    id\n    name\n    version\n    weight\n    loadable\n    baseModel {\n      id\n      displayName\n    }\n  }\n": types.SelectableAdapterFragmentDoc,
    "\n  query GenerationModel($current: ID!) {\n    baseModel(id: $current) {\n      id\n      displayName\n      builtin\n      capabilities {\n        maxDurationSeconds\n      }\n    }\n  }\n": types.GenerationModelDocument,
    "\n  query GenerationAdapters($current: ID!, $search: String!, $first: Int!) {\n    fitting: adapters(filter: { active: true, compatibleWith: $current }, first: 0) {\n      totalCount\n    }\n    active: adapters(filter: { active: true }, first: 0) {\n      totalCount\n    }\n    compatible: adapters(filter: { active: true, compatibleWith: $current, search: $search }, orderBy: ORDINAL_ASC, first: $first) {\n      totalCount\n      edges {\n        node {\n          ...SelectableAdapter\n        }\n      }\n    }\n    all: adapters(filter: { active: true, search: $search }, orderBy: ORDINAL_ASC, first: $first) {\n      edges {\n        node {\n          ...SelectableAdapter\n        }\n      }\n    }\n  }\n": types.GenerationAdaptersDocument,
    "\n  query AdapterFit($id: ID!, $model: ID!) {\n    adapter(id: $id) {\n      id\n      active\n      loadable\n      compatibility(baseModelId: $model) {\n        compatible\n      }\n    }\n  }\n": types.AdapterFitDocument,
    "\n  fragment SampleView on Sample {\n    id\n    index\n    durationSeconds\n    lengthSteps\n    meter {\n      beatsPerBar\n      stepsPerBeat\n    }\n    notes {\n      pitch\n      start\n      duration\n    }\n    audio {\n      url\n      sizeBytes\n    }\n    midi {\n      url\n      sizeBytes\n    }\n    scores {\n      referenceKind\n      referenceName\n      noteCount\n      rhythmDensity\n      score\n      pitchClassDistance\n      inScaleRatio\n    }\n    averageRating\n    ratingCount\n  }\n": types.SampleViewFragmentDoc,
    "\n  fragment GenerationJobAdapterView on GenerationJobAdapter {\n    position\n    weight\n    deleted\n    adapter {\n      id\n      name\n      version\n    }\n  }\n": types.GenerationJobAdapterViewFragmentDoc,
    "\n  fragment GenerationJobView on GenerationJob {\n    id\n    status\n    progress\n    error\n    prompt\n    seed\n    durationSeconds\n    sampleCount\n    temperature\n    topK\n    loraHashes\n    createdAt\n    startedAt\n    finishedAt\n    baseModel {\n      id\n      displayName\n    }\n    adapters {\n      ...GenerationJobAdapterView\n    }\n    samples {\n      ...SampleView\n    }\n  }\n": types.GenerationJobViewFragmentDoc,
    "\n  mutation CreateGenerationJob($input: CreateGenerationJobInput!) {\n    createGenerationJob(input: $input) {\n      __typename\n      ... on CreateGenerationJobSuccess {\n        job {\n          ...GenerationJobView\n        }\n      }\n      ... on AdapterDeletedError {\n        adapterId\n      }\n      ... on IncompatibleAdapterError {\n        adapterId\n        compatibleAdapters {\n          ...SelectableAdapter\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.CreateGenerationJobDocument,
    "\n  subscription GenerationProgress($jobId: ID!) {\n    generationProgress(jobId: $jobId) {\n      ...GenerationJobView\n    }\n  }\n": types.GenerationProgressDocument,
    "\n  fragment GenerationJobRow on GenerationJob {\n    id\n    status\n    progress\n    prompt\n    sampleCount\n    error\n    createdAt\n    startedAt\n    finishedAt\n    baseModel {\n      id\n      displayName\n    }\n    adapters {\n      ...GenerationJobAdapterView\n    }\n    samples {\n      id\n    }\n  }\n": types.GenerationJobRowFragmentDoc,
    "\n  query GenerationJobList($filter: GenerationJobFilter, $first: Int!, $after: String) {\n    generationJobs(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...GenerationJobRow\n        }\n      }\n    }\n  }\n": types.GenerationJobListDocument,
    "\n  query GenerationJob($id: ID!) {\n    generationJob(id: $id) {\n      ...GenerationJobView\n    }\n  }\n": types.GenerationJobDocument,
    "\n  subscription GenerationJobUpdates($abTestId: ID) {\n    generationJobUpdates(abTestId: $abTestId) {\n      id\n    }\n  }\n": types.GenerationJobUpdatesDocument,
    "\n  mutation CreateAbTest($input: CreateAbTestInput!) {\n    createAbTest(input: $input) {\n      __typename\n      ... on CreateAbTestSuccess {\n        test {\n          id\n          name\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.CreateAbTestDocument,
    "\n  mutation CreateExperiment($input: CreateExperimentInput!) {\n    createExperiment(input: $input) {\n      __typename\n      ... on CreateExperimentSuccess {\n        experiment {\n          id\n          name\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.CreateExperimentDocument,
    "\n  mutation StartRun($experimentId: ID!, $input: StartRunInput) {\n    startRun(experimentId: $experimentId, input: $input) {\n      __typename\n      ... on StartRunSuccess {\n        run {\n          id\n          name\n          status\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.StartRunDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      __typename\n      ... on CancelRunSuccess {\n        run {\n          id\n          status\n          cancelRequested\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.CancelRunDocument,
    "\n  mutation DeleteRuns($experimentId: ID!, $runIds: [ID!]!) {\n    deleteRuns(experimentId: $experimentId, runIds: $runIds) {\n      __typename\n      ... on DeleteRunsSuccess {\n        deletedRunIds\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.DeleteRunsDocument,
    "\n  query RunLogPage($id: ID!, $afterSeq: Int!, $first: Int!) {\n    run(id: $id) {\n      id\n      logs(afterSeq: $afterSeq, first: $first) {\n        seq\n        data\n      }\n    }\n  }\n": types.RunLogPageDocument,
    "\n  subscription RunLogStream($runId: ID!, $afterSeq: Int!) {\n    runLogs(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      data\n    }\n  }\n": types.RunLogStreamDocument,
    "\n  subscription RunMetricStream($runId: ID!, $afterStep: Int!) {\n    runMetrics(runId: $runId, afterStep: $afterStep) {\n      name\n      step\n      value\n      time\n    }\n  }\n": types.RunMetricStreamDocument,
    "\n  subscription RunStatusUpdates($runId: ID!) {\n    runStatus(runId: $runId) {\n      ...RunRow\n    }\n  }\n": types.RunStatusUpdatesDocument,
    "\n  mutation RateSample($sampleId: ID!, $score: Int!) {\n    rateSample(sampleId: $sampleId, score: $score) {\n      __typename\n      ... on RateSampleSuccess {\n        rating {\n          id\n          score\n        }\n        sample {\n          id\n          averageRating\n          ratingCount\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n": types.RateSampleDocument,
    "\n  fragment ViewerFields on Viewer {\n    authMode\n    authenticated\n    name\n    keyId\n    scopes\n  }\n": types.ViewerFieldsFragmentDoc,
    "\n  query Viewer {\n    viewer {\n      ...ViewerFields\n    }\n  }\n": types.ViewerDocument,
    "\n  query SimilarAdapters($adapterId: ID!) {\n    similarAdapters(adapterId: $adapterId) {\n      explanation\n      sharedTags\n      sharedWords\n      sharedModules\n      score {\n        text\n        weightSpace\n        combined\n      }\n      adapter {\n        id\n        name\n        version\n        format\n      }\n    }\n  }\n": types.SimilarAdaptersDocument,
    "\n  fragment TrainingParameterSummary on TrainingParameter {\n    key\n    category\n    label\n    description\n    unit\n    valueType\n  }\n": types.TrainingParameterSummaryFragmentDoc,
    "\n  fragment TrainingParameterField on TrainingParameter {\n    ...TrainingParameterSummary\n    default\n    min\n    max\n    setByExperiment\n    usedByBuiltinTrainer\n  }\n": types.TrainingParameterFieldFragmentDoc,
    "\n  query TrainingParameters {\n    trainingConfigSchema {\n      ...TrainingParameterField\n    }\n  }\n": types.TrainingParametersDocument,
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
export function graphql(source: "\n  mutation ImportDataset($files: [File!]!, $input: ImportDatasetInput!) {\n    importDataset(files: $files, input: $input) {\n      __typename\n      ... on ImportDatasetSuccess {\n        dataset {\n          id\n          name\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation ImportDataset($files: [File!]!, $input: ImportDatasetInput!) {\n    importDataset(files: $files, input: $input) {\n      __typename\n      ... on ImportDatasetSuccess {\n        dataset {\n          id\n          name\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
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
export function graphql(source: "\n  fragment RunMetricSeries on Run {\n    id\n    metricNames\n    metrics(names: $names, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {\n      name\n      totalPoints\n      downsampled\n      points {\n        step\n        value\n        time\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment RunMetricSeries on Run {\n    id\n    metricNames\n    metrics(names: $names, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {\n      name\n      totalPoints\n      downsampled\n      points {\n        step\n        value\n        time\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunMetrics($id: ID!, $names: [String!], $fromStep: Int, $toStep: Int, $maxPoints: Int!) {\n    run(id: $id) {\n      ...RunMetricSeries\n    }\n  }\n"): (typeof documents)["\n  query RunMetrics($id: ID!, $names: [String!], $fromStep: Int, $toStep: Int, $maxPoints: Int!) {\n    run(id: $id) {\n      ...RunMetricSeries\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunsMetrics($ids: [ID!]!, $names: [String!], $fromStep: Int, $toStep: Int, $maxPoints: Int!) {\n    runs(ids: $ids) {\n      ...RunMetricSeries\n    }\n  }\n"): (typeof documents)["\n  query RunsMetrics($ids: [ID!]!, $names: [String!], $fromStep: Int, $toStep: Int, $maxPoints: Int!) {\n    runs(ids: $ids) {\n      ...RunMetricSeries\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AbTestView on AbTest {\n    id\n    name\n    status\n    error\n    progress {\n      judged\n      total\n      jobsDone\n      jobsTotal\n      generation\n    }\n    result {\n      wins\n      losses\n      ties\n      judged\n      decisive\n      winRate\n      interval {\n        lower\n        upper\n      }\n      pValue\n      significant\n      verdict\n    }\n  }\n"): (typeof documents)["\n  fragment AbTestView on AbTest {\n    id\n    name\n    status\n    error\n    progress {\n      judged\n      total\n      jobsDone\n      jobsTotal\n      generation\n    }\n    result {\n      wins\n      losses\n      ties\n      judged\n      decisive\n      winRate\n      interval {\n        lower\n        upper\n      }\n      pValue\n      significant\n      verdict\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AbTest($id: ID!) {\n    abTest(id: $id) {\n      ...AbTestView\n    }\n  }\n"): (typeof documents)["\n  query AbTest($id: ID!) {\n    abTest(id: $id) {\n      ...AbTestView\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NextAbTrial($testId: ID!) {\n    nextAbTrial(testId: $testId) {\n      trialId\n      prompt\n      index\n      total\n      first {\n        side\n        audioUrl\n        durationSeconds\n      }\n      second {\n        side\n        audioUrl\n        durationSeconds\n      }\n    }\n  }\n"): (typeof documents)["\n  query NextAbTrial($testId: ID!) {\n    nextAbTrial(testId: $testId) {\n      trialId\n      prompt\n      index\n      total\n      first {\n        side\n        audioUrl\n        durationSeconds\n      }\n      second {\n        side\n        audioUrl\n        durationSeconds\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecordAbChoice($trialId: ID!, $choice: AbChoice!) {\n    recordAbChoice(trialId: $trialId, choice: $choice) {\n      __typename\n      ... on RecordAbChoiceSuccess {\n        test {\n          ...AbTestView\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation RecordAbChoice($trialId: ID!, $choice: AbChoice!) {\n    recordAbChoice(trialId: $trialId, choice: $choice) {\n      __typename\n      ... on RecordAbChoiceSuccess {\n        test {\n          ...AbTestView\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteAbTest($id: ID!) {\n    completeAbTest(id: $id) {\n      __typename\n      ... on CompleteAbTestSuccess {\n        test {\n          ...AbTestView\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation CompleteAbTest($id: ID!) {\n    completeAbTest(id: $id) {\n      __typename\n      ... on CompleteAbTestSuccess {\n        test {\n          ...AbTestView\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AbTestAdapterChoice on Adapter {\n    id\n    name\n    version\n    baseModel {\n      id\n      displayName\n    }\n  }\n"): (typeof documents)["\n  fragment AbTestAdapterChoice on Adapter {\n    id\n    name\n    version\n    baseModel {\n      id\n      displayName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AbTestAdapters($search: String!, $first: Int!) {\n    adapters(filter: { search: $search }, orderBy: ORDINAL_ASC, first: $first) {\n      totalCount\n      edges {\n        node {\n          ...AbTestAdapterChoice\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AbTestAdapters($search: String!, $first: Int!) {\n    adapters(filter: { search: $search }, orderBy: ORDINAL_ASC, first: $first) {\n      totalCount\n      edges {\n        node {\n          ...AbTestAdapterChoice\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AbTestAdapter($id: ID!) {\n    adapter(id: $id) {\n      ...AbTestAdapterChoice\n    }\n  }\n"): (typeof documents)["\n  query AbTestAdapter($id: ID!) {\n    adapter(id: $id) {\n      ...AbTestAdapterChoice\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AbTestListItem on AbTest {\n    id\n    name\n    status\n    createdAt\n    adapterA {\n      id\n      name\n      version\n    }\n    adapterB {\n      id\n      name\n      version\n    }\n    baseModel {\n      id\n      displayName\n    }\n    progress {\n      judged\n      total\n      generation\n    }\n    result {\n      verdict\n    }\n  }\n"): (typeof documents)["\n  fragment AbTestListItem on AbTest {\n    id\n    name\n    status\n    createdAt\n    adapterA {\n      id\n      name\n      version\n    }\n    adapterB {\n      id\n      name\n      version\n    }\n    baseModel {\n      id\n      displayName\n    }\n    progress {\n      judged\n      total\n      generation\n    }\n    result {\n      verdict\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AbTestList($first: Int!, $after: String) {\n    abTests(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AbTestListItem\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AbTestList($first: Int!, $after: String) {\n    abTests(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AbTestListItem\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ActivityFeedItem on ActivityEvent {\n    id\n    type\n    message\n    subjectType\n    subjectId\n    data\n    actor\n    createdAt\n  }\n"): (typeof documents)["\n  fragment ActivityFeedItem on ActivityEvent {\n    id\n    type\n    message\n    subjectType\n    subjectId\n    data\n    actor\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentActivity($first: Int!) {\n    activity(first: $first) {\n      edges {\n        node {\n          ...ActivityFeedItem\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RecentActivity($first: Int!) {\n    activity(first: $first) {\n      edges {\n        node {\n          ...ActivityFeedItem\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ActivityFeed {\n    activity {\n      ...ActivityFeedItem\n    }\n  }\n"): (typeof documents)["\n  subscription ActivityFeed {\n    activity {\n      ...ActivityFeedItem\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ActivityEvents {\n    activity {\n      id\n      type\n      subjectType\n      subjectId\n    }\n  }\n"): (typeof documents)["\n  subscription ActivityEvents {\n    activity {\n      id\n      type\n      subjectType\n      subjectId\n    }\n  }\n"];
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
export function graphql(source: "\n  query CompareAdapters($ids: [ID!]!) {\n    compareAdapters(ids: $ids) {\n      __typename\n      ... on AdapterComparison {\n        summary\n        adapters {\n          ...AdapterVersionSummaryFields\n        }\n        rows {\n          metric\n          label\n          higherIsBetter\n          betterAdapterId\n          comparedWithAdapterId\n          test\n          method\n          statistic\n          pValue\n          significant\n          note\n          interval {\n            lower\n            upper\n          }\n          values {\n            adapterId\n            value\n            count\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  query CompareAdapters($ids: [ID!]!) {\n    compareAdapters(ids: $ids) {\n      __typename\n      ... on AdapterComparison {\n        summary\n        adapters {\n          ...AdapterVersionSummaryFields\n        }\n        rows {\n          metric\n          label\n          higherIsBetter\n          betterAdapterId\n          comparedWithAdapterId\n          test\n          method\n          statistic\n          pValue\n          significant\n          note\n          interval {\n            lower\n            upper\n          }\n          values {\n            adapterId\n            value\n            count\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
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
export function graphql(source: "\n  fragment AdapterVersionSummaryFields on AdapterVersionSummary {\n    adapterId\n    name\n    version\n    status\n    deleted\n    createdAt\n    finalLoss\n    bestLoss\n    ratingAverage\n    ratingCount\n    winRate\n    run {\n      id\n      name\n    }\n    experiment {\n      id\n      name\n    }\n    evaluationScores {\n      name\n      source\n      value\n      count\n      higherIsBetter\n    }\n  }\n"): (typeof documents)["\n  fragment AdapterVersionSummaryFields on AdapterVersionSummary {\n    adapterId\n    name\n    version\n    status\n    deleted\n    createdAt\n    finalLoss\n    bestLoss\n    ratingAverage\n    ratingCount\n    winRate\n    run {\n      id\n      name\n    }\n    experiment {\n      id\n      name\n    }\n    evaluationScores {\n      name\n      source\n      value\n      count\n      higherIsBetter\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdapterTimeline($name: String!) {\n    adapterTimeline(name: $name) {\n      ...AdapterVersionSummaryFields\n    }\n  }\n"): (typeof documents)["\n  query AdapterTimeline($name: String!) {\n    adapterTimeline(name: $name) {\n      ...AdapterVersionSummaryFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiKeyRow on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n"): (typeof documents)["\n  fragment ApiKeyRow on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeys {\n    apiKeys {\n      ...ApiKeyRow\n    }\n  }\n"): (typeof documents)["\n  query ApiKeys {\n    apiKeys {\n      ...ApiKeyRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      __typename\n      ... on CreateApiKeySuccess {\n        secret\n        apiKey {\n          ...ApiKeyRow\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      __typename\n      ... on CreateApiKeySuccess {\n        secret\n        apiKey {\n          ...ApiKeyRow\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      __typename\n      ... on RevokeApiKeySuccess {\n        apiKey {\n          ...ApiKeyRow\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      __typename\n      ... on RevokeApiKeySuccess {\n        apiKey {\n          ...ApiKeyRow\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BaseModelSummary on BaseModel {\n    id\n    displayName\n    modality\n    family\n    version\n    discovered\n    trainer\n    capabilities {\n      maxDurationSeconds\n      sampleRate\n      resolution\n      maxTokens\n    }\n  }\n"): (typeof documents)["\n  fragment BaseModelSummary on BaseModel {\n    id\n    displayName\n    modality\n    family\n    version\n    discovered\n    trainer\n    capabilities {\n      maxDurationSeconds\n      sampleRate\n      resolution\n      maxTokens\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BaseModels {\n    baseModels {\n      ...BaseModelSummary\n    }\n  }\n"): (typeof documents)["\n  query BaseModels {\n    baseModels {\n      ...BaseModelSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ComposedPromptView on ComposedPrompt {\n    prompt\n    tokens\n    loraHashes\n    warnings {\n      code\n      message\n      adapterId\n    }\n  }\n"): (typeof documents)["\n  fragment ComposedPromptView on ComposedPrompt {\n    prompt\n    tokens\n    loraHashes\n    warnings {\n      code\n      message\n      adapterId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ComposePrompt($input: ComposePromptInput!) {\n    composePrompt(input: $input) {\n      ...ComposedPromptView\n    }\n  }\n"): (typeof documents)["\n  query ComposePrompt($input: ComposePromptInput!) {\n    composePrompt(input: $input) {\n      ...ComposedPromptView\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DashboardFeaturedAdapter on Adapter {\n    id\n    name\n    version\n    averageRating\n    ratingCount\n    usageCount\n  }\n"): (typeof documents)["\n  fragment DashboardFeaturedAdapter on Adapter {\n    id\n    name\n    version\n    averageRating\n    ratingCount\n    usageCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dashboard {\n    dashboard {\n      stats {\n        adaptersTotal\n        adaptersActive\n        experimentsByStatus {\n          status\n          count\n        }\n        runsRunning\n        generationsToday\n        averageRating\n        ratingCount\n      }\n      health {\n        database {\n          ok\n          kind\n          error\n        }\n        sidecars {\n          id\n          name\n          connected\n          executionProviders\n          trainers\n          concurrency\n          lastSeenAt\n        }\n        queueDepth {\n          runs\n          generations\n        }\n        workerPool {\n          threads\n          queued\n          completed\n        }\n      }\n      featuredAdapters {\n        bestRated {\n          ...DashboardFeaturedAdapter\n        }\n        mostUsed {\n          ...DashboardFeaturedAdapter\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Dashboard {\n    dashboard {\n      stats {\n        adaptersTotal\n        adaptersActive\n        experimentsByStatus {\n          status\n          count\n        }\n        runsRunning\n        generationsToday\n        averageRating\n        ratingCount\n      }\n      health {\n        database {\n          ok\n          kind\n          error\n        }\n        sidecars {\n          id\n          name\n          connected\n          executionProviders\n          trainers\n          concurrency\n          lastSeenAt\n        }\n        queueDepth {\n          runs\n          generations\n        }\n        workerPool {\n          threads\n          queued\n          completed\n        }\n      }\n      featuredAdapters {\n        bestRated {\n          ...DashboardFeaturedAdapter\n        }\n        mostUsed {\n          ...DashboardFeaturedAdapter\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetPreview($id: ID!) {\n    dataset(id: $id) {\n      id\n      preview {\n        id\n        position\n        prompt\n        notes\n      }\n    }\n  }\n"): (typeof documents)["\n  query DatasetPreview($id: ID!) {\n    dataset(id: $id) {\n      id\n      preview {\n        id\n        position\n        prompt\n        notes\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DatasetStyleOption on DatasetStyle {\n    id\n    name\n    mode\n    beatsPerBar\n    stepsPerBeat\n    examplePrompt\n  }\n"): (typeof documents)["\n  fragment DatasetStyleOption on DatasetStyle {\n    id\n    name\n    mode\n    beatsPerBar\n    stepsPerBeat\n    examplePrompt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetStyles {\n    datasetStyles {\n      ...DatasetStyleOption\n    }\n  }\n"): (typeof documents)["\n  query DatasetStyles {\n    datasetStyles {\n      ...DatasetStyleOption\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DatasetListItem on Dataset {\n    id\n    name\n    description\n    source\n    style\n    seed\n    itemCount\n    createdAt\n  }\n"): (typeof documents)["\n  fragment DatasetListItem on Dataset {\n    id\n    name\n    description\n    source\n    style\n    seed\n    itemCount\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetList($first: Int!) {\n    datasets(first: $first) {\n      totalCount\n      edges {\n        node {\n          ...DatasetListItem\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DatasetList($first: Int!) {\n    datasets(first: $first) {\n      totalCount\n      edges {\n        node {\n          ...DatasetListItem\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GenerateDataset($input: GenerateDatasetInput!) {\n    generateDataset(input: $input) {\n      __typename\n      ... on GenerateDatasetSuccess {\n        dataset {\n          ...DatasetListItem\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation GenerateDataset($input: GenerateDatasetInput!) {\n    generateDataset(input: $input) {\n      __typename\n      ... on GenerateDatasetSuccess {\n        dataset {\n          ...DatasetListItem\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DeliveryRow on Delivery {\n    id\n    mode\n    target\n    prompt\n    status\n    attempts\n    maxAttempts\n    error\n    createdAt\n    startedAt\n    finishedAt\n    nextAttemptAt\n  }\n"): (typeof documents)["\n  fragment DeliveryRow on Delivery {\n    id\n    mode\n    target\n    prompt\n    status\n    attempts\n    maxAttempts\n    error\n    createdAt\n    startedAt\n    finishedAt\n    nextAttemptAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DeliveryDetail on Delivery {\n    ...DeliveryRow\n    params\n    loraTokens\n    loraHashes\n    attemptHistory {\n      attempt\n      at\n      error\n    }\n    httpStatus\n    responseBody\n    exitCode\n    stdout\n    stderr\n    images {\n      index\n      url\n      width\n      height\n      sizeBytes\n    }\n  }\n"): (typeof documents)["\n  fragment DeliveryDetail on Delivery {\n    ...DeliveryRow\n    params\n    loraTokens\n    loraHashes\n    attemptHistory {\n      attempt\n      at\n      error\n    }\n    httpStatus\n    responseBody\n    exitCode\n    stdout\n    stderr\n    images {\n      index\n      url\n      width\n      height\n      sizeBytes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeliveryList($status: DeliveryStatus, $first: Int!, $after: String) {\n    deliveries(status: $status, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...DeliveryRow\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DeliveryList($status: DeliveryStatus, $first: Int!, $after: String) {\n    deliveries(status: $status, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...DeliveryRow\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Delivery($id: ID!) {\n    delivery(id: $id) {\n      ...DeliveryDetail\n    }\n  }\n"): (typeof documents)["\n  query Delivery($id: ID!) {\n    delivery(id: $id) {\n      ...DeliveryDetail\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DeliveryStatus($id: ID!) {\n    deliveryStatus(id: $id) {\n      ...DeliveryDetail\n    }\n  }\n"): (typeof documents)["\n  subscription DeliveryStatus($id: ID!) {\n    deliveryStatus(id: $id) {\n      ...DeliveryDetail\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DeliveryUpdates {\n    deliveryUpdates {\n      id\n    }\n  }\n"): (typeof documents)["\n  subscription DeliveryUpdates {\n    deliveryUpdates {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeliveryTargets {\n    deliveryAllowedHosts\n    deliveryCommandTemplates {\n      name\n      timeoutSeconds\n    }\n  }\n"): (typeof documents)["\n  query DeliveryTargets {\n    deliveryAllowedHosts\n    deliveryCommandTemplates {\n      name\n      timeoutSeconds\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateDelivery($input: CreateDeliveryInput!) {\n    createDelivery(input: $input) {\n      __typename\n      ... on CreateDeliverySuccess {\n        delivery {\n          ...DeliveryRow\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateDelivery($input: CreateDeliveryInput!) {\n    createDelivery(input: $input) {\n      __typename\n      ... on CreateDeliverySuccess {\n        delivery {\n          ...DeliveryRow\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ArchiveExperiment($id: ID!) {\n    archiveExperiment(id: $id) {\n      __typename\n      ... on ArchiveExperimentSuccess {\n        experiment {\n          id\n          status\n          updatedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation ArchiveExperiment($id: ID!) {\n    archiveExperiment(id: $id) {\n      __typename\n      ... on ArchiveExperimentSuccess {\n        experiment {\n          id\n          status\n          updatedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UnarchiveExperiment($id: ID!) {\n    unarchiveExperiment(id: $id) {\n      __typename\n      ... on UnarchiveExperimentSuccess {\n        experiment {\n          id\n          status\n          updatedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation UnarchiveExperiment($id: ID!) {\n    unarchiveExperiment(id: $id) {\n      __typename\n      ... on UnarchiveExperimentSuccess {\n        experiment {\n          id\n          status\n          updatedAt\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateExperiment($id: ID!, $input: UpdateExperimentInput!) {\n    updateExperiment(id: $id, input: $input) {\n      __typename\n      ... on UpdateExperimentSuccess {\n        experiment {\n          id\n          config\n          updatedAt\n          dataset {\n            id\n            name\n            itemCount\n          }\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateExperiment($id: ID!, $input: UpdateExperimentInput!) {\n    updateExperiment(id: $id, input: $input) {\n      __typename\n      ... on UpdateExperimentSuccess {\n        experiment {\n          id\n          config\n          updatedAt\n          dataset {\n            id\n            name\n            itemCount\n          }\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunRow on Run {\n    id\n    name\n    status\n    createdAt\n    startedAt\n    finishedAt\n    finalLoss\n    isBest\n    error\n    cancelRequested\n    configOverride\n    effectiveConfig\n    lastSeq\n    logUrl\n    adapter {\n      id\n      name\n      version\n    }\n  }\n"): (typeof documents)["\n  fragment RunRow on Run {\n    id\n    name\n    status\n    createdAt\n    startedAt\n    finishedAt\n    finalLoss\n    isBest\n    error\n    cancelRequested\n    configOverride\n    effectiveConfig\n    lastSeq\n    logUrl\n    adapter {\n      id\n      name\n      version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ExperimentDetail on Experiment {\n    ...ExperimentSummary\n    description\n    config\n    trainer\n    lastError\n    dataset {\n      id\n      name\n      itemCount\n    }\n    bestRun {\n      id\n      name\n      finalLoss\n    }\n    runs(first: $runLimit) {\n      totalCount\n      edges {\n        node {\n          ...RunRow\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment ExperimentDetail on Experiment {\n    ...ExperimentSummary\n    description\n    config\n    trainer\n    lastError\n    dataset {\n      id\n      name\n      itemCount\n    }\n    bestRun {\n      id\n      name\n      finalLoss\n    }\n    runs(first: $runLimit) {\n      totalCount\n      edges {\n        node {\n          ...RunRow\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExperimentDetail($id: ID!, $runLimit: Int!) {\n    experiment(id: $id) {\n      ...ExperimentDetail\n    }\n  }\n"): (typeof documents)["\n  query ExperimentDetail($id: ID!, $runLimit: Int!) {\n    experiment(id: $id) {\n      ...ExperimentDetail\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ExperimentSummary on Experiment {\n    id\n    name\n    status\n    bestLoss\n    createdAt\n    updatedAt\n    baseModel {\n      id\n      displayName\n    }\n  }\n"): (typeof documents)["\n  fragment ExperimentSummary on Experiment {\n    id\n    name\n    status\n    bestLoss\n    createdAt\n    updatedAt\n    baseModel {\n      id\n      displayName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ExperimentListItem on Experiment {\n    ...ExperimentSummary\n    dataset {\n      id\n      name\n    }\n    runCount\n  }\n"): (typeof documents)["\n  fragment ExperimentListItem on Experiment {\n    ...ExperimentSummary\n    dataset {\n      id\n      name\n    }\n    runCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExperimentList($includeArchived: Boolean!, $first: Int!, $after: String) {\n    experiments(includeArchived: $includeArchived, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ExperimentListItem\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ExperimentList($includeArchived: Boolean!, $first: Int!, $after: String) {\n    experiments(includeArchived: $includeArchived, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ExperimentListItem\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SelectableAdapter on Adapter {\n    id\n    name\n    version\n    weight\n    loadable\n    baseModel {\n      id\n      displayName\n    }\n  }\n"): (typeof documents)["\n  fragment SelectableAdapter on Adapter {\n    id\n    name\n    version\n    weight\n    loadable\n    baseModel {\n      id\n      displayName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GenerationModel($current: ID!) {\n    baseModel(id: $current) {\n      id\n      displayName\n      builtin\n      capabilities {\n        maxDurationSeconds\n      }\n    }\n  }\n"): (typeof documents)["\n  query GenerationModel($current: ID!) {\n    baseModel(id: $current) {\n      id\n      displayName\n      builtin\n      capabilities {\n        maxDurationSeconds\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GenerationAdapters($current: ID!, $search: String!, $first: Int!) {\n    fitting: adapters(filter: { active: true, compatibleWith: $current }, first: 0) {\n      totalCount\n    }\n    active: adapters(filter: { active: true }, first: 0) {\n      totalCount\n    }\n    compatible: adapters(filter: { active: true, compatibleWith: $current, search: $search }, orderBy: ORDINAL_ASC, first: $first) {\n      totalCount\n      edges {\n        node {\n          ...SelectableAdapter\n        }\n      }\n    }\n    all: adapters(filter: { active: true, search: $search }, orderBy: ORDINAL_ASC, first: $first) {\n      edges {\n        node {\n          ...SelectableAdapter\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query GenerationAdapters($current: ID!, $search: String!, $first: Int!) {\n    fitting: adapters(filter: { active: true, compatibleWith: $current }, first: 0) {\n      totalCount\n    }\n    active: adapters(filter: { active: true }, first: 0) {\n      totalCount\n    }\n    compatible: adapters(filter: { active: true, compatibleWith: $current, search: $search }, orderBy: ORDINAL_ASC, first: $first) {\n      totalCount\n      edges {\n        node {\n          ...SelectableAdapter\n        }\n      }\n    }\n    all: adapters(filter: { active: true, search: $search }, orderBy: ORDINAL_ASC, first: $first) {\n      edges {\n        node {\n          ...SelectableAdapter\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdapterFit($id: ID!, $model: ID!) {\n    adapter(id: $id) {\n      id\n      active\n      loadable\n      compatibility(baseModelId: $model) {\n        compatible\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdapterFit($id: ID!, $model: ID!) {\n    adapter(id: $id) {\n      id\n      active\n      loadable\n      compatibility(baseModelId: $model) {\n        compatible\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SampleView on Sample {\n    id\n    index\n    durationSeconds\n    lengthSteps\n    meter {\n      beatsPerBar\n      stepsPerBeat\n    }\n    notes {\n      pitch\n      start\n      duration\n    }\n    audio {\n      url\n      sizeBytes\n    }\n    midi {\n      url\n      sizeBytes\n    }\n    scores {\n      referenceKind\n      referenceName\n      noteCount\n      rhythmDensity\n      score\n      pitchClassDistance\n      inScaleRatio\n    }\n    averageRating\n    ratingCount\n  }\n"): (typeof documents)["\n  fragment SampleView on Sample {\n    id\n    index\n    durationSeconds\n    lengthSteps\n    meter {\n      beatsPerBar\n      stepsPerBeat\n    }\n    notes {\n      pitch\n      start\n      duration\n    }\n    audio {\n      url\n      sizeBytes\n    }\n    midi {\n      url\n      sizeBytes\n    }\n    scores {\n      referenceKind\n      referenceName\n      noteCount\n      rhythmDensity\n      score\n      pitchClassDistance\n      inScaleRatio\n    }\n    averageRating\n    ratingCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GenerationJobAdapterView on GenerationJobAdapter {\n    position\n    weight\n    deleted\n    adapter {\n      id\n      name\n      version\n    }\n  }\n"): (typeof documents)["\n  fragment GenerationJobAdapterView on GenerationJobAdapter {\n    position\n    weight\n    deleted\n    adapter {\n      id\n      name\n      version\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GenerationJobView on GenerationJob {\n    id\n    status\n    progress\n    error\n    prompt\n    seed\n    durationSeconds\n    sampleCount\n    temperature\n    topK\n    loraHashes\n    createdAt\n    startedAt\n    finishedAt\n    baseModel {\n      id\n      displayName\n    }\n    adapters {\n      ...GenerationJobAdapterView\n    }\n    samples {\n      ...SampleView\n    }\n  }\n"): (typeof documents)["\n  fragment GenerationJobView on GenerationJob {\n    id\n    status\n    progress\n    error\n    prompt\n    seed\n    durationSeconds\n    sampleCount\n    temperature\n    topK\n    loraHashes\n    createdAt\n    startedAt\n    finishedAt\n    baseModel {\n      id\n      displayName\n    }\n    adapters {\n      ...GenerationJobAdapterView\n    }\n    samples {\n      ...SampleView\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateGenerationJob($input: CreateGenerationJobInput!) {\n    createGenerationJob(input: $input) {\n      __typename\n      ... on CreateGenerationJobSuccess {\n        job {\n          ...GenerationJobView\n        }\n      }\n      ... on AdapterDeletedError {\n        adapterId\n      }\n      ... on IncompatibleAdapterError {\n        adapterId\n        compatibleAdapters {\n          ...SelectableAdapter\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateGenerationJob($input: CreateGenerationJobInput!) {\n    createGenerationJob(input: $input) {\n      __typename\n      ... on CreateGenerationJobSuccess {\n        job {\n          ...GenerationJobView\n        }\n      }\n      ... on AdapterDeletedError {\n        adapterId\n      }\n      ... on IncompatibleAdapterError {\n        adapterId\n        compatibleAdapters {\n          ...SelectableAdapter\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription GenerationProgress($jobId: ID!) {\n    generationProgress(jobId: $jobId) {\n      ...GenerationJobView\n    }\n  }\n"): (typeof documents)["\n  subscription GenerationProgress($jobId: ID!) {\n    generationProgress(jobId: $jobId) {\n      ...GenerationJobView\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment GenerationJobRow on GenerationJob {\n    id\n    status\n    progress\n    prompt\n    sampleCount\n    error\n    createdAt\n    startedAt\n    finishedAt\n    baseModel {\n      id\n      displayName\n    }\n    adapters {\n      ...GenerationJobAdapterView\n    }\n    samples {\n      id\n    }\n  }\n"): (typeof documents)["\n  fragment GenerationJobRow on GenerationJob {\n    id\n    status\n    progress\n    prompt\n    sampleCount\n    error\n    createdAt\n    startedAt\n    finishedAt\n    baseModel {\n      id\n      displayName\n    }\n    adapters {\n      ...GenerationJobAdapterView\n    }\n    samples {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GenerationJobList($filter: GenerationJobFilter, $first: Int!, $after: String) {\n    generationJobs(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...GenerationJobRow\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query GenerationJobList($filter: GenerationJobFilter, $first: Int!, $after: String) {\n    generationJobs(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...GenerationJobRow\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GenerationJob($id: ID!) {\n    generationJob(id: $id) {\n      ...GenerationJobView\n    }\n  }\n"): (typeof documents)["\n  query GenerationJob($id: ID!) {\n    generationJob(id: $id) {\n      ...GenerationJobView\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription GenerationJobUpdates($abTestId: ID) {\n    generationJobUpdates(abTestId: $abTestId) {\n      id\n    }\n  }\n"): (typeof documents)["\n  subscription GenerationJobUpdates($abTestId: ID) {\n    generationJobUpdates(abTestId: $abTestId) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateAbTest($input: CreateAbTestInput!) {\n    createAbTest(input: $input) {\n      __typename\n      ... on CreateAbTestSuccess {\n        test {\n          id\n          name\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateAbTest($input: CreateAbTestInput!) {\n    createAbTest(input: $input) {\n      __typename\n      ... on CreateAbTestSuccess {\n        test {\n          id\n          name\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateExperiment($input: CreateExperimentInput!) {\n    createExperiment(input: $input) {\n      __typename\n      ... on CreateExperimentSuccess {\n        experiment {\n          id\n          name\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateExperiment($input: CreateExperimentInput!) {\n    createExperiment(input: $input) {\n      __typename\n      ... on CreateExperimentSuccess {\n        experiment {\n          id\n          name\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartRun($experimentId: ID!, $input: StartRunInput) {\n    startRun(experimentId: $experimentId, input: $input) {\n      __typename\n      ... on StartRunSuccess {\n        run {\n          id\n          name\n          status\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation StartRun($experimentId: ID!, $input: StartRunInput) {\n    startRun(experimentId: $experimentId, input: $input) {\n      __typename\n      ... on StartRunSuccess {\n        run {\n          id\n          name\n          status\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      __typename\n      ... on CancelRunSuccess {\n        run {\n          id\n          status\n          cancelRequested\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation CancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      __typename\n      ... on CancelRunSuccess {\n        run {\n          id\n          status\n          cancelRequested\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteRuns($experimentId: ID!, $runIds: [ID!]!) {\n    deleteRuns(experimentId: $experimentId, runIds: $runIds) {\n      __typename\n      ... on DeleteRunsSuccess {\n        deletedRunIds\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteRuns($experimentId: ID!, $runIds: [ID!]!) {\n    deleteRuns(experimentId: $experimentId, runIds: $runIds) {\n      __typename\n      ... on DeleteRunsSuccess {\n        deletedRunIds\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunLogPage($id: ID!, $afterSeq: Int!, $first: Int!) {\n    run(id: $id) {\n      id\n      logs(afterSeq: $afterSeq, first: $first) {\n        seq\n        data\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunLogPage($id: ID!, $afterSeq: Int!, $first: Int!) {\n    run(id: $id) {\n      id\n      logs(afterSeq: $afterSeq, first: $first) {\n        seq\n        data\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunLogStream($runId: ID!, $afterSeq: Int!) {\n    runLogs(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      data\n    }\n  }\n"): (typeof documents)["\n  subscription RunLogStream($runId: ID!, $afterSeq: Int!) {\n    runLogs(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      data\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunMetricStream($runId: ID!, $afterStep: Int!) {\n    runMetrics(runId: $runId, afterStep: $afterStep) {\n      name\n      step\n      value\n      time\n    }\n  }\n"): (typeof documents)["\n  subscription RunMetricStream($runId: ID!, $afterStep: Int!) {\n    runMetrics(runId: $runId, afterStep: $afterStep) {\n      name\n      step\n      value\n      time\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunStatusUpdates($runId: ID!) {\n    runStatus(runId: $runId) {\n      ...RunRow\n    }\n  }\n"): (typeof documents)["\n  subscription RunStatusUpdates($runId: ID!) {\n    runStatus(runId: $runId) {\n      ...RunRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RateSample($sampleId: ID!, $score: Int!) {\n    rateSample(sampleId: $sampleId, score: $score) {\n      __typename\n      ... on RateSampleSuccess {\n        rating {\n          id\n          score\n        }\n        sample {\n          id\n          averageRating\n          ratingCount\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"): (typeof documents)["\n  mutation RateSample($sampleId: ID!, $score: Int!) {\n    rateSample(sampleId: $sampleId, score: $score) {\n      __typename\n      ... on RateSampleSuccess {\n        rating {\n          id\n          score\n        }\n        sample {\n          id\n          averageRating\n          ratingCount\n        }\n      }\n      ...MutationFailureFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ViewerFields on Viewer {\n    authMode\n    authenticated\n    name\n    keyId\n    scopes\n  }\n"): (typeof documents)["\n  fragment ViewerFields on Viewer {\n    authMode\n    authenticated\n    name\n    keyId\n    scopes\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      ...ViewerFields\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      ...ViewerFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SimilarAdapters($adapterId: ID!) {\n    similarAdapters(adapterId: $adapterId) {\n      explanation\n      sharedTags\n      sharedWords\n      sharedModules\n      score {\n        text\n        weightSpace\n        combined\n      }\n      adapter {\n        id\n        name\n        version\n        format\n      }\n    }\n  }\n"): (typeof documents)["\n  query SimilarAdapters($adapterId: ID!) {\n    similarAdapters(adapterId: $adapterId) {\n      explanation\n      sharedTags\n      sharedWords\n      sharedModules\n      score {\n        text\n        weightSpace\n        combined\n      }\n      adapter {\n        id\n        name\n        version\n        format\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TrainingParameterSummary on TrainingParameter {\n    key\n    category\n    label\n    description\n    unit\n    valueType\n  }\n"): (typeof documents)["\n  fragment TrainingParameterSummary on TrainingParameter {\n    key\n    category\n    label\n    description\n    unit\n    valueType\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TrainingParameterField on TrainingParameter {\n    ...TrainingParameterSummary\n    default\n    min\n    max\n    setByExperiment\n    usedByBuiltinTrainer\n  }\n"): (typeof documents)["\n  fragment TrainingParameterField on TrainingParameter {\n    ...TrainingParameterSummary\n    default\n    min\n    max\n    setByExperiment\n    usedByBuiltinTrainer\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TrainingParameters {\n    trainingConfigSchema {\n      ...TrainingParameterField\n    }\n  }\n"): (typeof documents)["\n  query TrainingParameters {\n    trainingConfigSchema {\n      ...TrainingParameterField\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;