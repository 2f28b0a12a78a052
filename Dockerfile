# The two images of RnnCluster, each a target of this file; build context: the repository root, e.g.
#   docker build --target silo   -t REGISTRY/rnncluster/silo:TAG .
#   docker build --target client -t REGISTRY/rnncluster/client:TAG .
# silo: one Orleans silo (k8s/base/silo-deployment.yaml runs it). client: the rnncluster command line
# (k8s/sweep/job.yaml runs a sweep with it), with the example sweep specs and data in /app/examples.
# Both build from one restore of the sources (the client embeds a silo, so its projects are the silo's and its own).
# Nothing secret is in either image: the silo's storage connection string comes from the environment at run time,
# and the client is told the cluster at run time (ConnectionStrings__AzureStorage or RNNCLUSTER_GATEWAY, and
# RNNCLUSTER_CLUSTER_ID).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# the projects first, so that the restore is cached while only code changes
COPY Directory.Build.props Directory.Packages.props ./
COPY Numerics/Numerics.csproj Numerics/
COPY Grains.Interfaces/Grains.Interfaces.csproj Grains.Interfaces/
COPY Grains/Grains.csproj Grains/
COPY Silo/Silo.csproj Silo/
COPY Client/Client.csproj Client/
# restores the silo's projects too (the client references them)
RUN dotnet restore Client/Client.csproj
COPY Numerics/ Numerics/
COPY Grains.Interfaces/ Grains.Interfaces/
COPY Grains/ Grains/
COPY Silo/ Silo/
COPY Client/ Client/

FROM build AS silo-publish
RUN dotnet publish Silo/Silo.csproj -c Release --no-restore -p:UseAppHost=false -o /app

FROM build AS client-publish
RUN dotnet publish Client/Client.csproj -c Release --no-restore -p:UseAppHost=false -o /app

# ASP.NET Core runtime (the silo serves /metrics and /health); its non-root user "app" is 1654.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS silo
WORKDIR /app
COPY --from=silo-publish /app ./
# Runs with a read-only root file system: the only writable place it needs is /tmp (an emptyDir in the pod).
USER 1654:1654
# silo-to-silo, client gateway, /metrics and /health
EXPOSE 11111 30000 8080
ENTRYPOINT ["dotnet", "RnnCluster.Silo.dll"]

# ASP.NET Core runtime: the client can embed a silo (SiloHost), which is a web host; its non-root user "app" is 1654.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS client
WORKDIR /app
COPY --from=client-publish /app ./
COPY examples/ examples/
# Runs with a read-only root file system; writes (sweep export, --plot) go to a mounted folder such as /tmp.
USER 1654:1654
ENTRYPOINT ["dotnet", "rnncluster.dll"]
CMD ["--help"]
