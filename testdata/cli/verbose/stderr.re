dapilint: configuration: \.dapilint\.yaml
dapilint: linting 3 inputs
dapilint: \.dapilint\.yaml: 1 document, 0 objects checked, 1 document skipped, 0 findings \([0-9.]+[nµm]?s\)
dapilint: \.dapilint\.yaml:1:1: skipped document 1: not a Kubernetes object: it has no kind
dapilint: other\.yaml: 4 documents, 0 objects checked, 4 documents skipped, 0 findings \([0-9.]+[nµm]?s\)
dapilint: other\.yaml:1:1: skipped document 1 \(v1 ConfigMap\): a ConfigMap carries no pod spec that dapilint checks
dapilint: other\.yaml:8:1: skipped document 2: not a Kubernetes object: a list, not a mapping
dapilint: other\.yaml:11:1: skipped document 3 \(example\.com/v1 Widget\): Widget is not a kind dapilint knows, but it has a pod spec at spec\.runner\.template\.spec: to check it, declare the kind under workloads: in \.dapilint\.yaml
dapilint: other\.yaml:23:1: skipped document 4: not a Kubernetes object: it has no kind
dapilint: pod\.yaml: 1 document, 1 object checked, 0 documents skipped, 1 finding \([0-9.]+[nµm]?s\)
dapilint: done in [0-9.]+[nµm]?s\n
