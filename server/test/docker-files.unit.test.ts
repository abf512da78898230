import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { envSchema as apiEnvSchema } from "../src/config/config.js";
import { envSchema as sidecarEnvSchema } from "../src/sidecar/env.js";

/*
 * No Docker engine runs here: what can be checked without one is checked by reading the files — the services and
 * how they depend on each other, that every variable given to our processes is one their configuration knows, the
 * users, ports, volumes, and the proxy's WebSocket routing.
 */

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const dockerFile = (name: string) => readFileSync(`${repoRoot}docker/${name}`, "utf8");

const API_ENV = new Set(Object.keys(apiEnvSchema.shape));
const SIDECAR_ENV = new Set(Object.keys(sidecarEnvSchema.shape));
/** read by Node itself or by the NVIDIA container runtime, not by our configuration */
const RUNTIME_ENV = new Set(["NODE_ENV", "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES"]);

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions of a Dockerfile (continuation lines joined, comments dropped), split into its stages. */
function dockerfileStages(text: string): Instruction[][] {
  const lines = text.replace(/\\\n/g, " ").split("\n").map((line) => line.trim()).filter((line) => line && !line.startsWith("#"));
  const stages: Instruction[][] = [];
  for (const line of lines) {
    const [, keyword, args] = /^(\w+)\s+(.*)$/.exec(line)!;
    if (keyword!.toUpperCase() === "FROM") stages.push([]);
    stages.at(-1)!.push({ keyword: keyword!.toUpperCase(), args: args! });
  }
  return stages;
}

function finalStage(name: string): Instruction[] {
  return dockerfileStages(dockerFile(name)).at(-1)!;
}

function argsOf(stage: Instruction[], keyword: string): string[] {
  return stage.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
}

function envNames(stage: Instruction[]): string[] {
  return argsOf(stage, "ENV").flatMap((args) => [...args.matchAll(/(\w+)=/g)].map((match) => match[1]!));
}

function envVars(stage: Instruction[]): Record<string, string> {
  return Object.fromEntries(argsOf(stage, "ENV").flatMap((args) => [...args.matchAll(/(\w+)=(\S+)/g)].map((match) => [match[1]!, match[2]!])));
}

/** `dist/x.js` in the image is what `src/x.ts` compiles to. */
function compiledSourceExists(entry: string): boolean {
  const script = JSON.parse(entry).find((part: string) => part.startsWith("server/dist/")) as string;
  return existsSync(`${repoRoot}${script.replace("server/dist/", "server/src/").replace(/\.js$/, ".ts")}`);
}

interface Service {
  build?: { context: string; dockerfile: string; additional_contexts?: Record<string, string> };
  image?: string;
  environment?: Record<string, string>;
  env_file?: string[];
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { resources: { reservations: { devices: { driver: string; capabilities: string[] }[] } } };
}

interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(dockerFile("compose.yaml")) as ComposeFile;
const gpuOverride = parse(dockerFile("compose.gpu.yaml")) as ComposeFile;
const envFileNames = dockerFile("env.example")
  .split("\n")
  .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
  .filter((name): name is string => name !== undefined);

const dockerfileOf = (service: Service) => service.build?.dockerfile.replace("docker/", "");
const isSidecar = (service: Service) => dockerfileOf(service)?.startsWith("Dockerfile.sidecar") ?? false;
const isApi = (service: Service) => dockerfileOf(service) === "Dockerfile";

describe("Dockerfiles", () => {
  it.each(["Dockerfile", "Dockerfile.sidecar", "Dockerfile.sidecar-cuda"])("%s runs as a user other than root", (name) => {
    const users = argsOf(finalStage(name), "USER");
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it("the API image listens on every interface with API keys, on the port it exposes, and checks its own health", () => {
    const stage = finalStage("Dockerfile");
    const env = envVars(stage);
    expect(env).toMatchObject({ HOST: "0.0.0.0", AUTH: "keys", DATA_DIR: "/data" });
    expect(argsOf(stage, "EXPOSE")).toEqual([env.PORT]);
    expect(argsOf(stage, "HEALTHCHECK").join(" ")).toContain(`127.0.0.1:${env.PORT}/healthz`);
    expect(argsOf(stage, "VOLUME")).toEqual([env.DATA_DIR]);
    expect(envNames(stage).filter((name) => !API_ENV.has(name) && !RUNTIME_ENV.has(name))).toEqual([]);
    expect(compiledSourceExists(argsOf(stage, "CMD")[0]!)).toBe(true);
  });

  it.each(["Dockerfile.sidecar", "Dockerfile.sidecar-cuda"])("%s starts the sidecar with variables its configuration knows", (name) => {
    const stage = finalStage(name);
    expect(envNames(stage).filter((variable) => !SIDECAR_ENV.has(variable) && !RUNTIME_ENV.has(variable))).toEqual([]);
    expect(argsOf(stage, "VOLUME")).toEqual([envVars(stage).SIDECAR_WORK_DIR]);
    expect(compiledSourceExists(argsOf(stage, "ENTRYPOINT")[0]!)).toBe(true);
  });

  it("the CUDA sidecar installs onnxruntime-node's CUDA execution provider with its own install script", () => {
    const install = dockerfileStages(dockerFile("Dockerfile.sidecar-cuda"))[0]!.flatMap((instruction) => (instruction.keyword === "RUN" ? [instruction.args] : []));
    const match = /cd \/app\/(server\/node_modules\/onnxruntime-node) && ONNXRUNTIME_NODE_INSTALL=(\w+) node (script\/install\.js)/.exec(install.join("\n"));
    expect(match).not.toBeNull();
    expect(existsSync(`${repoRoot}${match![1]}/${match![3]}`)).toBe(true);
    expect(match![2]).toBe("cuda12");
  });
});

describe("compose files", () => {
  it("run PostgreSQL, Redis, two API replicas, a sidecar and a proxy", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["api-1", "api-2", "postgres", "proxy", "redis", "sidecar"]);
    expect(Object.keys(gpuOverride.services)).toEqual(["sidecar-cuda"]);
  });

  it("give our processes only variables their configuration knows", () => {
    for (const [name, service] of Object.entries({ ...compose.services, ...gpuOverride.services })) {
      const known = isApi(service) ? API_ENV : isSidecar(service) ? SIDECAR_ENV : null;
      if (!known) continue;
      expect(Object.keys(service.environment ?? {}).filter((variable) => !known.has(variable)), name).toEqual([]);
      expect(service.env_file, name).toEqual([".env"]);
    }
    expect(envFileNames.filter((variable) => !API_ENV.has(variable) && !SIDECAR_ENV.has(variable))).toEqual([]);
  });

  it("configure the replicas for cluster mode on a shared data volume", () => {
    for (const replica of [compose.services["api-1"]!, compose.services["api-2"]!]) {
      expect(replica.environment).toMatchObject({ SIDECAR: "off", REDIS_URL: "redis://redis:6379", DATABASE_URL: expect.stringMatching(/@postgres:5432\//) });
      expect(replica.volumes).toContain(`data:${envVars(finalStage("Dockerfile")).DATA_DIR}`);
      expect(replica.expose).toEqual([envVars(finalStage("Dockerfile")).PORT]);
    }
    expect(envFileNames).toEqual(expect.arrayContaining(["ADMIN_API_KEY", "SIDECAR_TOKEN", "METRICS_TOKEN"]));
  });

  it("start each service once what it needs is healthy, and declare every named volume", () => {
    const services = { ...compose.services, ...gpuOverride.services };
    const declared = new Set([...Object.keys(compose.volumes ?? {}), ...Object.keys(gpuOverride.volumes ?? {})]);
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const needed = services[dependency];
        expect(needed, `${name} depends on ${dependency}`).toBeDefined();
        expect(condition).toBe("service_healthy");
        const imageChecksHealth = needed!.build && argsOf(finalStage(dockerfileOf(needed!)!), "HEALTHCHECK").length > 0;
        expect(needed!.healthcheck !== undefined || imageChecksHealth, `${dependency} has a healthcheck`).toBe(true);
      }
      for (const volume of service.volumes ?? []) {
        const source = volume.split(":")[0]!;
        if (!source.startsWith(".")) expect(declared.has(source), `${name}: volume ${source}`).toBe(true);
      }
    }
  });

  it("build the sidecars from the API image's files, and reserve the GPU for the CUDA one", () => {
    for (const service of [compose.services.sidecar!, gpuOverride.services["sidecar-cuda"]!]) {
      expect(service.build!.additional_contexts).toEqual({ studio: "service:api-1" });
      expect(service.environment!.API_URL).toBe("http://proxy:8080");
    }
    expect(dockerfileOf(gpuOverride.services["sidecar-cuda"]!)).toBe("Dockerfile.sidecar-cuda");
    expect(gpuOverride.services["sidecar-cuda"]!.deploy!.resources.reservations.devices).toEqual([{ driver: "nvidia", count: "all", capabilities: ["gpu"] }]);
  });
});

describe("the proxy", () => {
  const nginx = dockerFile("nginx.conf");

  it("publishes the port it listens on and balances over both replicas", () => {
    const listen = /listen (\d+);/.exec(nginx)![1];
    expect(compose.services.proxy!.ports).toEqual([`${listen}:${listen}`]);
    const upstream = /upstream studio \{([^}]*)\}/.exec(nginx)![1]!;
    expect([...upstream.matchAll(/server ([\w-]+:\d+)/g)].map((match) => match[1])).toEqual(["api-1:4000", "api-2:4000"]);
  });

  it("routes /graphql with the WebSocket upgrade and keeps subscriptions open", () => {
    const graphql = /location \/graphql \{([^}]*)\}/.exec(nginx)![1]!;
    expect(graphql).toContain("proxy_pass http://studio;");
    expect(graphql).toContain("proxy_http_version 1.1;");
    expect(graphql).toContain("proxy_set_header Upgrade $http_upgrade;");
    expect(graphql).toContain("proxy_set_header Connection $connection_upgrade;");
    expect(graphql).toMatch(/proxy_read_timeout \d+h;/);
    expect(nginx).toMatch(/map \$http_upgrade \$connection_upgrade \{\s*default upgrade;/);
  });
});
