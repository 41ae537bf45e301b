# Second part of sprig-oracle.json: every field of the conformance corpus's Fasit-like context piped into every
# Sprig function (context "fasit"). Run like sprig-oracle-cases.py (reads the corpus from /work/shared).
import json
pub=json.load(open('/work/shared/conformance/gotemplate/public.json'))
ctx=[c for c in pub if c['name']=='sprig/trim/trimSuffix'][0]['data']
T=[]
def c(t): T.append({"name":f"d{len(T)}","template":t,"data":ctx})
fields=['.Kind','.Tenant.Name','.Env.name','.Env.replicas','.Env.cpu','.Env.project_number','.Env.owner','.Env.nope','.Env.zones','.Env.tags','.Env.labels','.Env.node_pools','.Envs','.Management','.Configs.image','.Configs.extraArgs','.Configs.debug','.Configs.retention_days','.Configs.resources.requests.cpu','.Fasit.IAPAudience','.Env.ha','.Env.k8s_version']
one=['toString','toStrings','toJson','toPrettyJson','toRawJson','empty','kindOf','typeOf','int','int64','float64','add1','add1f','floor','ceil','default "d"','coalesce','toDecimal','quote','squote','cat','first','last','rest','initial','reverse','uniq','compact','sortAlpha','keys','values','deepCopy','len','b64enc','upper','trim','nospace','semver','base','dir','urlParse','fromJson','splitList ","','join ","','pluck "name"','pick "name"','omit "name"','has "dev"','without "dev"','append 1','prepend 1','concat (list 1)','slice 1','chunk 2','hasKey "name"','get "name"','dig "name" "x"','merge (dict "z" 1)','mergeOverwrite (dict "z" 1)','mustToJson','mustFirst','typeIs "string"','kindIs "slice"','deepEqual .Env','all 1','any 0','ternary 1 2','regexFind "[0-9]+"','regexMatch "^a"','sha256sum','adler32sum','abbrev 5','trunc 3','repeat 2','indent 2','replace "a" "b"','contains "a"','hasPrefix "a"','plural "a" "b"','until','seq','max 1','min 1','maxf 1','minf 1','addf 1','mulf 2','divf 2','subf 1','round 1','sub 1','mul 2','div 2','mod 2','add 1','biggest 1','wrap 5','title','snakecase','semverCompare ">1"','urlJoin','env','printf "%v"']
for f in fields:
    for fn in one:
        c("{{ %s | %s }}" % (f, fn))
json.dump(T,open('cases2.json','w')); print(len(T))
