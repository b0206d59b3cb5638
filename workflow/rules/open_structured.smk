# Claim E1's structured direction (issue 23 part 1): rho*(m) along the top eigenvector of the
# network Hessian at initialization (both signs), beside open_radius's random direction. Same
# problem, widths, training and rho_max as open_radius; its own seeds, rho_min and bisection
# steps (budget: <= 9 CPU-min at paper scale). E1's value reports it (CLAIM_INPUTS["open"]).

OPEN_STRUCT = OPEN["radius"]["structured"]
CLAIM_INPUTS["open"]["structured"] = out("results/open/open_radius_structured.csv")


rule open_radius_structured:
    """E1: rho*(m) along +u and -u, u the top eigenvector of nabla^2 <v, G(u)> at init."""
    input:
        data=out(f"results/data/{OPEN['radius']['problem']}.npz"),
        code=code("open_radius_structured"),
    output:
        out("results/open/open_radius_structured.csv"),
    log:
        out("results/logs/open/radius_structured.log"),
    benchmark:
        out("results/benchmarks/open/radius_structured.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(2000),
        runtime=retry_scaled(estimate(open_plan.radius_runtime)),
    params:
        problem=OPEN["radius"]["problem"],
        widths=OPEN["radius"]["widths"],
        seeds=OPEN_STRUCT["seeds"],
        model=OPS["deeponet"]["model"],
        train=OPEN["radius"]["train"],
        search={k: OPEN["radius"][k] for k in ("rho_max", "tolerance")}
        | {k: OPEN_STRUCT[k] for k in ("rho_min", "steps")},
        hessian=OPEN_STRUCT["hessian"],
    script:
        script_path("open_radius_structured")
