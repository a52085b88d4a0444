dapilint v0\.0\.0-e2e \((commit [0-9a-f]{12}(, modified)?; )?go1\.[0-9.]+\S* [a-z0-9]+/[a-z0-9]+\)\n
