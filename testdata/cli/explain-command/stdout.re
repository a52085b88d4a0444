DA202 limit-not-set: A resource limit is read from a container that sets none\nwarning · on by default\nhttps://github\.com/dapilint/dapilint/blob/main/docs/rules\.md#da202\n\n.*node's allocatable.*
