using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Revocation.IntegrationTests.Deployment.RenderedManifests;
using static Revocation.Testing.YamlDocuments;

namespace Revocation.IntegrationTests.Deployment;

/// <summary>
/// deploy/kubernetes, rendered with <c>kubectl kustomize</c> (no cluster): the objects exist, the
/// probes ask for paths the programs serve on the ports they listen on, every environment variable
/// names a setting the program reads, the silos roll and shut down gracefully, and the references
/// to Secrets and ConfigMaps resolve.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private const string SiloDeployment = "registry-silo";
    private const string ApiDeployment = "registry-api";
    private const string SiloNamespace = "revocation-registry";
    private const string ApiNamespace = "revocation-registry-api";
    private const string MonitoringNamespace = "monitoring";
    private static readonly string[] HostNamespaces = ["hostNetwork", "hostPID", "hostIPC"];

    public static TheoryData<string, string> ProgramContainers => new()
    {
        { SiloDeployment, "silo" },
        { ApiDeployment, "api" },
    };

    [Fact]
    public async Task Overlay_RendersEveryObjectTheRegistryNeeds()
    {
        var manifests = await GetAsync();

        manifests.Named("Deployment", SiloDeployment);
        manifests.Named("Deployment", ApiDeployment);
        manifests.Named("Service", ApiDeployment);
        manifests.Named("PodDisruptionBudget", SiloDeployment);
        manifests.Named("PodDisruptionBudget", ApiDeployment);
        manifests.Named("ServiceAccount", "registry-silo");
        manifests.Named("Role", "registry-silo-pods");
        manifests.Named("RoleBinding", "registry-silo-pods");
        manifests.Named("NetworkPolicy", SiloDeployment);
        manifests.Named("NetworkPolicy", ApiDeployment);
        Assert.All(manifests.Objects.Where(o => Str(o["kind"]) != "Namespace"), o => Assert.NotNull(Namespace(o)));
    }

    [Fact]
    public async Task SilosAndApiNodes_LiveInNamespacesOfTheirOwn()
    {
        var manifests = await GetAsync();
        string[] apiOnly = ["registry-api", "registry-database-api", "registry-jwt", "registry-oauth"];
        bool ApiObject(JsonObject o) => apiOnly.Any(prefix => Str(o["metadata"]!["name"])!.StartsWith(prefix, StringComparison.Ordinal));

        Assert.Equal(SiloNamespace, Namespace(manifests.Named("Deployment", SiloDeployment)));
        Assert.Equal(ApiNamespace, Namespace(manifests.Named("Deployment", ApiDeployment)));
        Assert.All(manifests.Objects.Where(o => Str(o["kind"]) != "Namespace" && Str(o["kind"]) != "ConfigMap"), o =>
            Assert.True(Namespace(o) == (ApiObject(o) ? ApiNamespace : SiloNamespace), $"{Str(o["kind"])} {Str(o["metadata"]!["name"])} is in {Namespace(o)}"));
        Assert.Equal([SiloNamespace, ApiNamespace], manifests.OfKind("ConfigMap").Select(Namespace).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ProgramContainers))]
    public async Task Probes_AskForServedHealthPaths_OnTheHttpPort(string deployment, string container)
    {
        var spec = Container((await GetAsync()).Named("Deployment", deployment), container);
        var served = deployment == SiloDeployment ? await ServedPaths.SiloAsync() : await ServedPaths.ApiAsync();
        var httpPort = UrlPort(Str(Env(spec)["Urls"]["value"]));

        Assert.Equal(httpPort, Port(spec, "http"));
        foreach (var (probe, path) in new[] { ("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready"), ("startupProbe", "/health/live") })
        {
            var get = spec[probe]?["httpGet"] ?? throw new Xunit.Sdk.XunitException($"{deployment}/{container} has no {probe}.httpGet");
            Assert.Equal(path, Str(get["path"]));
            Assert.Contains(path, served);
            Assert.Equal("http", Str(get["port"]));
        }
    }

    [Theory]
    [MemberData(nameof(ProgramContainers))]
    public async Task EnvironmentVariables_NameSettingsTheProgramReads(string deployment, string container)
    {
        var pod = (await GetAsync()).Named("Deployment", deployment);
        var settings = deployment == SiloDeployment ? ProgramSettings.Silo : ProgramSettings.Api;
        var containers = new List<JsonObject> { Container(pod, container) };
        if (deployment == SiloDeployment)
        {
            containers.Add(Container(pod, "migrate", "initContainers"));
        }

        var unread = containers.SelectMany(c => Env(c).Keys).Select(settings.WhyNotRead).OfType<string>().ToList();

        Assert.True(unread.Count == 0, "Variables no program setting reads:\n" + string.Join("\n", unread));
    }

    [Fact]
    public async Task Silo_AdvertisesItsPodIp_AndListensOnItsDeclaredPorts()
    {
        var silo = Container((await GetAsync()).Named("Deployment", SiloDeployment), "silo");
        var env = Env(silo);

        Assert.Equal("metadata.name", Str(env["POD_NAME"]["valueFrom"]!["fieldRef"]!["fieldPath"]));
        Assert.Equal("metadata.namespace", Str(env["POD_NAMESPACE"]["valueFrom"]!["fieldRef"]!["fieldPath"]));
        Assert.Equal("status.podIP", Str(env["POD_IP"]["valueFrom"]!["fieldRef"]!["fieldPath"]));
        Assert.Equal("true", Str(env[ProgramSettings.EnvName(Silo.Clustering.KubernetesHosting.EnabledSetting)]["value"]));
        // Empty: an address here would win over the pod IP (KubernetesHosting refuses to start).
        Assert.Equal("", Str(env["Cluster__AdvertisedAddress"]["value"]));
        Assert.Equal(Port(silo, "silo").ToString(), Str(env["Cluster__SiloPort"]["value"]));
        Assert.Equal(Port(silo, "gateway").ToString(), Str(env["Cluster__GatewayPort"]["value"]));
        Assert.Equal("false", Str(env["Database__MigrateOnStart"]["value"]));
    }

    [Fact]
    public async Task Migrations_RunInAnInitContainerOfTheSiloImage()
    {
        var pod = (await GetAsync()).Named("Deployment", SiloDeployment);
        var migrate = Container(pod, "migrate", "initContainers");

        Assert.Equal(["migrate"], migrate["args"]!.AsArray().Select(Str));
        Assert.Equal(Str(Container(pod, "silo")["image"]), Str(migrate["image"]));
        Assert.Contains("ConnectionStrings__Registry", Env(migrate).Keys);
    }

    [Fact]
    public async Task DatabaseLogins_TheOwnerMigratesOnly_EachProcessHasItsRoleLogin_AllOverVerifiedTls()
    {
        var manifests = await GetAsync();
        var silos = manifests.Named("Deployment", SiloDeployment);
        var api = manifests.Named("Deployment", ApiDeployment);
        string ConnectionString(JsonObject deployment, string container, string list = "containers")
        {
            var reference = Env(Container(deployment, container, list))["ConnectionStrings__Registry"]["valueFrom"]!["secretKeyRef"]!;
            var secret = manifests.Named("Secret", Str(reference["name"])!, Namespace(deployment));
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Str(secret["data"]![Str(reference["key"])!])!));
        }

        var owner = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString(silos, "migrate", "initContainers"));
        var silo = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString(silos, "silo"));
        var node = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString(api, "api"));

        Assert.Equal("registry_owner", owner.Username);
        Assert.Equal("registry_silo_login", silo.Username);
        Assert.Equal("registry_api_login", node.Username);
        Assert.All(new[] { owner, silo, node }, c => Assert.Equal(Npgsql.SslMode.VerifyFull, c.SslMode));
        // Only the init container sees the owner's Secret; the silo serves as its role member.
        Assert.StartsWith("registry-database-owner", Str(Env(Container(silos, "migrate", "initContainers"))["ConnectionStrings__Registry"]["valueFrom"]!["secretKeyRef"]!["name"]));
        Assert.Equal("false", Str(Env(Container(silos, "silo"))["Database__MigrateOnStart"]["value"]));
    }

    [Fact]
    public async Task SilosAndApiNodes_AgreeOnClusterAndServiceId()
    {
        var manifests = await GetAsync();
        var silo = Env(Container(manifests.Named("Deployment", SiloDeployment), "silo"));
        var api = Env(Container(manifests.Named("Deployment", ApiDeployment), "api"));

        Assert.Equal(ConfigValue(manifests, SiloNamespace, silo["Orleans__ClusterId"]), ConfigValue(manifests, ApiNamespace, api["Orleans__ClusterId"]));
        Assert.Equal(ConfigValue(manifests, SiloNamespace, silo["Orleans__ServiceId"]), ConfigValue(manifests, ApiNamespace, api["Orleans__ServiceId"]));
        Assert.Equal("production", ConfigValue(manifests, SiloNamespace, silo["Orleans__ClusterId"]));
    }

    [Theory]
    [MemberData(nameof(ProgramContainers))]
    public async Task SecretAndConfigMapReferences_Resolve(string deployment, string container)
    {
        var manifests = await GetAsync();
        var pod = manifests.Named("Deployment", deployment);
        var references = Env(Container(pod, container)).Values
            .Select(e => e["valueFrom"]).OfType<JsonObject>()
            .SelectMany(from => new[] { ("Secret", from["secretKeyRef"]), ("ConfigMap", from["configMapKeyRef"]) })
            .Where(r => r.Item2 is not null)
            .ToList();

        Assert.NotEmpty(references);
        foreach (var (kind, reference) in references)
        {
            var name = Str(reference!["name"])!;
            var key = Str(reference["key"])!;
            var source = manifests.Named(kind, name, Namespace(pod));
            Assert.True(source["data"]?[key] is not null, $"{kind} {name} has no key {key}");
        }
    }

    [Theory]
    [MemberData(nameof(ProgramContainers))]
    public async Task ClusterTls_ComesFromASecretMountedReadOnly_WithEveryFileItNames(string deployment, string container)
    {
        var manifests = await GetAsync();
        var pod = manifests.Named("Deployment", deployment);
        var spec = Container(pod, container);
        var env = Env(spec);
        var mount = spec["volumeMounts"]!.AsArray().OfType<JsonObject>().Single(m => Str(m["name"]) == "cluster-tls");
        var volume = pod["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().OfType<JsonObject>().Single(v => Str(v["name"]) == "cluster-tls");
        var secret = manifests.Named("Secret", Str(volume["secret"]!["secretName"])!);

        Assert.Equal("true", Str(mount["readOnly"])?.ToLowerInvariant());
        foreach (var setting in new[] { "ClusterTls__CertificatePath", "ClusterTls__KeyPath", "ClusterTls__CaPath" })
        {
            var path = Str(env[setting]["value"])!;
            Assert.StartsWith(Str(mount["mountPath"])! + "/", path);
            Assert.True(secret["data"]?[Path.GetFileName(path)] is not null, $"{setting} names {path}, which the Secret does not hold");
        }

        Assert.False(env.ContainsKey("ClusterTls__AllowUnauthenticatedClusterAccess"), "plain TCP is never allowed in the manifests");
    }

    [Fact]
    public async Task Silos_RollWithoutLosingCapacity_AndShutDownWithinTheGracePeriod()
    {
        var manifests = await GetAsync();
        var deployment = manifests.Named("Deployment", SiloDeployment);
        var pod = PodSpec(deployment);

        Assert.Equal("RollingUpdate", Str(deployment["spec"]!["strategy"]!["type"]));
        Assert.Equal("0", Str(deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]));
        // Rejuvenation exits with 75 to be started again: only Always restarts it.
        Assert.Equal("Always", Str(pod["restartPolicy"]) ?? "Always");
        Assert.True(int.Parse(Str(pod["terminationGracePeriodSeconds"])!) > SiloShutdownTimeoutSeconds(),
            $"terminationGracePeriodSeconds must exceed the silo's shutdown timeout ({SiloShutdownTimeoutSeconds()} s)");
        Assert.Equal("3", Str(deployment["spec"]!["replicas"]));

        var budget = manifests.Named("PodDisruptionBudget", SiloDeployment);
        Assert.Equal("1", Str(budget["spec"]!["maxUnavailable"]));
        AssertSelects(budget["spec"]!["selector"]!["matchLabels"]!.AsObject(), deployment);
    }

    [Fact]
    public async Task ApiNodes_RollWithoutLosingCapacity_BehindAServiceOnTheirHttpPort()
    {
        var manifests = await GetAsync();
        var deployment = manifests.Named("Deployment", ApiDeployment);
        var service = manifests.Named("Service", ApiDeployment);

        Assert.Equal("0", Str(deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]));
        Assert.Equal("http", Str(service["spec"]!["ports"]![0]!["targetPort"]));
        AssertSelects(service["spec"]!["selector"]!.AsObject(), deployment);
        AssertSelects(manifests.Named("PodDisruptionBudget", ApiDeployment)["spec"]!["selector"]!["matchLabels"]!.AsObject(), deployment);
        // The management port (/metrics, /openapi) stays off the Service.
        Assert.Equal(UrlPort(Str(Env(Container(deployment, "api"))["Management__Url"]["value"])), Port(Container(deployment, "api"), "management"));
        Assert.Single(service["spec"]!["ports"]!.AsArray());
    }

    [Fact]
    public async Task SiloPods_MayWatchAndLabelPods_ThroughTheirServiceAccount()
    {
        var manifests = await GetAsync();
        var pod = PodSpec(manifests.Named("Deployment", SiloDeployment));
        var role = manifests.Named("Role", "registry-silo-pods");
        var binding = manifests.Named("RoleBinding", "registry-silo-pods");

        var rule = Assert.Single(role["rules"]!.AsArray());
        Assert.Equal(["pods"], rule!["resources"]!.AsArray().Select(Str));
        Assert.Equal(["get", "list", "patch", "watch"], rule["verbs"]!.AsArray().Select(Str).Order());
        Assert.Equal("Role", Str(binding["roleRef"]!["kind"]));
        Assert.Equal("registry-silo-pods", Str(binding["roleRef"]!["name"]));
        var subject = Assert.Single(binding["subjects"]!.AsArray());
        Assert.Equal("ServiceAccount", Str(subject!["kind"]));
        Assert.Equal(Str(pod["serviceAccountName"]), Str(subject["name"]));
        Assert.Equal("false", Str(PodSpec(manifests.Named("Deployment", ApiDeployment))["automountServiceAccountToken"]));
    }

    [Fact]
    public async Task SiloRbac_ReachesNoPodOutsideTheSilosNamespace_AndApiPodsHaveNone()
    {
        var manifests = await GetAsync();

        // Namespaced only: no ClusterRole could extend the silos' reach to the API nodes' namespace.
        Assert.Empty(manifests.OfKind("ClusterRole"));
        Assert.Empty(manifests.OfKind("ClusterRoleBinding"));
        var role = Assert.Single(manifests.OfKind("Role"));
        var binding = Assert.Single(manifests.OfKind("RoleBinding"));
        Assert.Equal(SiloNamespace, Namespace(role));
        Assert.Equal(SiloNamespace, Namespace(binding));
        Assert.Equal(Namespace(manifests.Named("Deployment", SiloDeployment)), Namespace(role));
        Assert.NotEqual(Namespace(role), Namespace(manifests.Named("Deployment", ApiDeployment)));
        // Orleans' Kubernetes hosting with DeleteDefunctSiloPods off: pods, no delete, nothing else.
        Assert.DoesNotContain("delete", role["rules"]![0]!["verbs"]!.AsArray().Select(Str));
        Assert.DoesNotContain("*", role["rules"]![0]!["verbs"]!.AsArray().Select(Str));
        var apiPod = PodSpec(manifests.Named("Deployment", ApiDeployment));
        Assert.Null(Str(apiPod["serviceAccountName"]));
        Assert.Equal("false", Str(apiPod["automountServiceAccountToken"]));
    }

    [Fact]
    public async Task Namespaces_EnforcePodSecurityRestricted()
    {
        var manifests = await GetAsync();
        var namespaces = manifests.OfKind("Namespace").ToDictionary(n => Str(n["metadata"]!["name"])!);

        Assert.Equal([SiloNamespace, ApiNamespace], namespaces.Keys.Order(StringComparer.Ordinal));
        Assert.All(namespaces.Values, n => Assert.Equal("restricted", Str(n["metadata"]!["labels"]!["pod-security.kubernetes.io/enforce"])));
    }

    [Theory]
    [InlineData(SiloDeployment)]
    [InlineData(ApiDeployment)]
    public async Task Pods_MeetPodSecurityRestricted_WithAReadOnlyRootAndAnEmptyDirForTmp(string deployment)
    {
        var pod = PodSpec((await GetAsync()).Named("Deployment", deployment));
        var containers = (pod["containers"]?.AsArray() ?? []).Concat(pod["initContainers"]?.AsArray() ?? []).Select(c => c!.AsObject()).ToList();
        var volumes = (pod["volumes"]?.AsArray() ?? []).Select(v => v!.AsObject()).ToDictionary(v => Str(v["name"])!);

        Assert.Equal("true", Str(pod["securityContext"]!["runAsNonRoot"]));
        Assert.Equal("RuntimeDefault", Str(pod["securityContext"]!["seccompProfile"]?["type"]));
        Assert.All(HostNamespaces, key => Assert.NotEqual("true", Str(pod[key])));
        Assert.All(volumes.Values, v => Assert.Null(v["hostPath"]));
        Assert.NotEmpty(containers);
        Assert.All(containers, c =>
        {
            var context = c["securityContext"] ?? throw new Xunit.Sdk.XunitException($"{Str(c["name"])} has no securityContext");
            Assert.Equal("false", Str(context["allowPrivilegeEscalation"]));
            Assert.Equal("true", Str(context["readOnlyRootFilesystem"]));
            Assert.NotEqual("true", Str(context["privileged"]));
            Assert.Equal(["ALL"], context["capabilities"]!["drop"]!.AsArray().Select(Str));
            Assert.Null(context["capabilities"]!["add"]);
            var tmp = Assert.Single((c["volumeMounts"]?.AsArray() ?? []).Select(m => m!.AsObject()), m => Str(m["mountPath"]) == "/tmp");
            Assert.NotNull(volumes[Str(tmp["name"])!]["emptyDir"]);
        });
    }

    [Fact]
    public async Task NetworkPolicies_AdmitSiloPortFromSilos_GatewayFromApiPods_HealthAndMetricsFromMonitoring()
    {
        var manifests = await GetAsync();
        var silos = manifests.Named("Deployment", SiloDeployment);
        var api = manifests.Named("Deployment", ApiDeployment);
        var policy = manifests.Named("NetworkPolicy", SiloDeployment);

        AssertSelects(policy["spec"]!["podSelector"]!["matchLabels"]!.AsObject(), silos);
        var admitted = Admitted(policy);
        Assert.Equal(["gateway", "http", "silo"], admitted.Keys.Order());
        Assert.All(admitted.Keys, port => Assert.True(Port(Container(silos, "silo"), port) > 0, $"the silo container has no port named {port}"));

        var fromSilos = Assert.Single(admitted["silo"]);
        Assert.Null(fromSilos["namespaceSelector"]);
        AssertSelects(fromSilos["podSelector"]!["matchLabels"]!.AsObject(), silos);

        var fromApi = Assert.Single(admitted["gateway"]);
        Assert.Equal(Namespace(api), Str(fromApi["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]));
        AssertSelects(fromApi["podSelector"]!["matchLabels"]!.AsObject(), api);

        var fromMonitoring = Assert.Single(admitted["http"]);
        Assert.Equal(MonitoringNamespace, Str(fromMonitoring["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]));
        Assert.Null(fromMonitoring["podSelector"]);
    }

    [Fact]
    public async Task NetworkPolicies_AdmitTheApiPortFromAnywhere_AndTheManagementPortFromMonitoringOnly()
    {
        var manifests = await GetAsync();
        var api = manifests.Named("Deployment", ApiDeployment);
        var policy = manifests.Named("NetworkPolicy", ApiDeployment);

        AssertSelects(policy["spec"]!["podSelector"]!["matchLabels"]!.AsObject(), api);
        var admitted = Admitted(policy);
        Assert.Equal(["http", "management"], admitted.Keys.Order());
        Assert.Empty(admitted["http"]); // no `from`: the API itself, through the Service or an ingress
        var fromMonitoring = Assert.Single(admitted["management"]);
        Assert.Equal(MonitoringNamespace, Str(fromMonitoring["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]));
    }

    [Theory]
    [InlineData(SiloNamespace)]
    [InlineData(ApiNamespace)]
    public async Task EveryNamespace_DeniesIngressByDefault(string @namespace)
    {
        var denyAll = (await GetAsync()).OfKind("NetworkPolicy").Where(p => Namespace(p) == @namespace)
            .SingleOrDefault(p => p["spec"]!["podSelector"]!.AsObject().Count == 0);

        Assert.NotNull(denyAll);
        Assert.Equal(["Ingress"], denyAll!["spec"]!["policyTypes"]!.AsArray().Select(Str));
        Assert.Null(denyAll["spec"]!["ingress"]);
    }

    [Fact]
    public async Task Images_AreTheComposeImagesFromTheOverlaysRegistry()
    {
        var manifests = await GetAsync();
        var compose = ParseDocuments(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "docker-compose.yml"))).Single();
        string Repository(string image) => image.Split(':')[0];

        Assert.Equal("registry.example.com/" + Repository(Str(compose["x-silo-image"]!["image"])!) + ":1.0.0",
            Str(Container(manifests.Named("Deployment", SiloDeployment), "silo")["image"]));
        Assert.Equal("registry.example.com/" + Repository(Str(compose["x-api-node"]!["image"])!) + ":1.0.0",
            Str(Container(manifests.Named("Deployment", ApiDeployment), "api")["image"]));
    }

    [Theory]
    [MemberData(nameof(ProgramContainers))]
    public async Task Containers_HaveMemoryLimits_AndRunAsTheImagesUser(string deployment, string container)
    {
        var pod = (await GetAsync()).Named("Deployment", deployment);
        var spec = Container(pod, container);

        Assert.NotNull(Str(spec["resources"]?["limits"]?["memory"]));
        Assert.NotNull(Str(spec["resources"]?["requests"]?["memory"]));
        Assert.Equal("true", Str(PodSpec(pod)["securityContext"]!["runAsNonRoot"]));
        Assert.Equal("1654", Str(PodSpec(pod)["securityContext"]!["runAsUser"])); // the .NET images' APP_UID
    }

    private static string? ConfigValue(RenderedManifests manifests, string @namespace, JsonObject variable)
    {
        var reference = variable["valueFrom"]!["configMapKeyRef"]!;
        return Str(manifests.Named("ConfigMap", Str(reference["name"])!, @namespace)["data"]![Str(reference["key"])!]);
    }

    /// <summary>A NetworkPolicy's ingress rules by named port: the peers admitted there (none listed: any peer).</summary>
    private static Dictionary<string, List<JsonObject>> Admitted(JsonObject policy)
    {
        Assert.Equal(["Ingress"], policy["spec"]!["policyTypes"]!.AsArray().Select(Str));
        var admitted = new Dictionary<string, List<JsonObject>>();
        foreach (var rule in policy["spec"]!["ingress"]!.AsArray().Select(r => r!.AsObject()))
        {
            var ports = rule["ports"]?.AsArray().Select(p => Str(p!["port"])!).ToList() ?? throw new Xunit.Sdk.XunitException("An ingress rule without ports admits every port.");
            foreach (var port in ports)
            {
                Assert.False(admitted.ContainsKey(port), $"port {port} is in two rules");
                admitted[port] = [.. (rule["from"]?.AsArray() ?? []).Select(p => p!.AsObject())];
            }
        }

        return admitted;
    }

    private static void AssertSelects(JsonObject selector, JsonObject deployment)
    {
        var labels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        Assert.NotEmpty(selector);
        Assert.All(selector, pair => Assert.Equal(Str(pair.Value), Str(labels[pair.Key])));
    }

    private static int UrlPort(string? url) =>
        int.Parse(UrlPortPattern().Match(url ?? "").Groups[1].Value is { Length: > 0 } port ? port : throw new Xunit.Sdk.XunitException($"No port in URL '{url}'"));

    /// <summary>HostOptions.ShutdownTimeout as src/Silo/Program.cs sets it.</summary>
    private static int SiloShutdownTimeoutSeconds()
    {
        var program = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "Silo", "Program.cs"));
        var match = ShutdownTimeoutPattern().Match(program);
        Assert.True(match.Success, "src/Silo/Program.cs no longer sets ShutdownTimeout = TimeSpan.FromSeconds(N); update this test to read it from where it moved.");
        return int.Parse(match.Groups[1].Value);
    }

    [GeneratedRegex(@":(\d+)/?$")]
    private static partial Regex UrlPortPattern();

    [GeneratedRegex(@"ShutdownTimeout\s*=\s*TimeSpan\.FromSeconds\((\d+)\)")]
    private static partial Regex ShutdownTimeoutPattern();
}
