"""Cross-validated accuracy of lab-trees (gradient boosting, defaults) against
scikit-learn's HistGradientBoostingClassifier() and LightGBM's LGBMClassifier()
under the same unshuffled 5 folds, on scikit-learn's bundled data sets and
seeded synthetic ones. Run by hand with the peers' Python (README, Phase 3 trees):
    LAB=.build/release/lab-trees /tmp/peers-venv/bin/python Tests/Fixtures/gbdt_cv_against_peers.py [names]
"""
import numpy as np, pandas as pd, subprocess, json, sys, os, tempfile
from sklearn.datasets import *
from sklearn.ensemble import HistGradientBoostingClassifier as H
from sklearn.model_selection import cross_val_score
import lightgbm as lgb
sets = {}
for name,f in [("iris",load_iris),("wine",load_wine),("breast_cancer",load_breast_cancer),("digits",load_digits)]:
    d=f(as_frame=True).frame; sets[name]=d
def frame(X,y):
    d=pd.DataFrame(X,columns=[f"f{i}" for i in range(X.shape[1])]); d["target"]=y; return d
for s in range(6):
    rs=np.random.RandomState(s)
    n=int(rs.choice([200,400,800,1500,3000])); nf=int(rs.choice([5,10,20,40])); k=int(rs.choice([2,3,4]))
    X,y=make_classification(n_samples=n,n_features=nf,n_informative=max(3,nf//3),n_classes=k,n_clusters_per_class=2,flip_y=0.05,random_state=s)
    sets[f"mc{s}_n{n}_d{nf}_k{k}"]=frame(X,y)
X,y=make_moons(500,noise=0.3,random_state=0); sets["moons500"]=frame(X,y)
X,y=make_circles(600,noise=0.15,factor=0.5,random_state=0); sets["circles600"]=frame(X,y)
for s in range(3):
    w=load_wine(as_frame=True).frame.sample(frac=1,random_state=s).reset_index(drop=True); sets[f"wine_shuf{s}"]=w
only=sys.argv[1:]
work=tempfile.mkdtemp()
lab=os.environ.get("LAB",".build/release/lab-trees")
for name,d in sets.items():
    if only and name not in only: continue
    path=f"{work}/{name}.csv"; d.to_csv(path,index=False)
    X=d.drop(columns="target").values; y=d["target"].values
    sk=cross_val_score(H(),X,y,cv=5).mean()
    lg=cross_val_score(lgb.LGBMClassifier(verbose=-1),X,y,cv=5).mean()
    out=f"{work}/out-{name}"
    subprocess.run([lab,"--csv",path,"--target","target","--cv","5","--out",out],check=True,capture_output=True)
    ours=json.load(open(out+"/report.json"))["metrics"]["cv_accuracy_mean"]
    print(f"{name:28s} ours {ours:.4f}  sklearnHGB {sk:.4f}  lgbm {lg:.4f}  diff {100*(ours-sk):+.2f} pt", flush=True)
